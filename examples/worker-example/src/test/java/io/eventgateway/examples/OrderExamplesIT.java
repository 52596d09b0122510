package io.eventgateway.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.eventgateway.client.SendResult;
import io.eventgateway.examples.producer.OrderProducer;
import io.eventgateway.examples.worker.OrderWorker;
import io.eventgateway.examples.worker.ProcessedOrders;
import io.eventgateway.test.EventGatewayExtension;
import io.eventgateway.test.TestGateway;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two examples together, as a team would test its own service: the test kit's gateway
 * without a worker of its own, the example worker application connected to it, and the
 * example producer sending through ingest. Every accepted event must reach the worker.
 */
class OrderExamplesIT {

	@RegisterExtension
	static final EventGatewayExtension extension = EventGatewayExtension.builder().withoutWorker().build();

	private static ConfigurableApplicationContext worker;

	@BeforeAll
	static void startWorker() {
		// The kit brings every role, and with them the config and bus clients, onto this
		// test's classpath; the worker as deployed has neither.
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--spring.cloud.config.enabled=false", "--spring.cloud.bus.enabled=false"));
		extension.gateway().workerProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
		worker = new SpringApplicationBuilder(OrderWorker.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stopWorker() {
		if (worker != null) {
			worker.close();
		}
	}

	@Test
	void everyOrderTheProducerSendsIsProcessedByTheWorker(TestGateway gateway) {
		List<SendResult> results;
		try (OrderProducer producer = new OrderProducer(gateway.ingestGrpcTarget(), gateway.apiKey(),
				gateway.companyId())) {
			results = producer.sendOrders(60);
		}

		assertThat(results).hasSize(60)
			.allSatisfy((result) -> assertThat(result.isAccepted()).as(result.toString()).isTrue());
		assertThat(results).extracting(SendResult::priority)
			.containsOnly("P30", "P20", "P10")
			.contains("P30", "P20", "P10");
		gateway.awaitAllProcessed(Duration.ofSeconds(60));
		assertThat(worker.getBean(ProcessedOrders.class).ids())
			.containsExactlyInAnyOrderElementsOf(results.stream().map(SendResult::eventId).toList());
	}

}
