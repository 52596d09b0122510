package io.eventgateway.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.worker.WorkerApplication;
import io.eventgateway.worker.processor.EventProcessor;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The programmatic form with a worker of the test's own, as a team's starter-based worker
 * application would run: the kit runs none, the test starts one from
 * {@link TestGateway#workerProperties()}, and {@link TestGateway#awaitAllProcessed} waits
 * for the orchestrator to have every accepted event answered.
 */
class ExternalWorkerIT {

	@RegisterExtension
	static final EventGatewayExtension extension = EventGatewayExtension.builder().withoutWorker().build();

	private static final RecordingProcessor processor = new RecordingProcessor(null);

	private static ConfigurableApplicationContext worker;

	@BeforeAll
	static void startWorker() {
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
		extension.gateway().workerProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
		worker = GatewayApplications.builder(WorkerApplication.class, WorkerApplication.ROLE)
			.initializers((context) -> ((GenericApplicationContext) context).registerBean(EventProcessor.class,
					() -> processor))
			.run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stopWorker() {
		if (worker != null) {
			worker.close();
		}
	}

	@Test
	void everyAcceptedEventIsProcessedByTheTestsOwnWorker(TestGateway gateway) throws Exception {
		List<IngestEvent> events = new ArrayList<>();
		for (String type : List.of("trigger.sync", "interactive.sync", "bulk.sync")) {
			for (int i = 0; i < 10; i++) {
				events.add(IngestSender.event(type + "-" + i, type));
			}
		}

		try (IngestSender sender = new IngestSender(gateway)) {
			assertThat(sender.send(events).getResultsList()).extracting(IngestResult::getStatus)
				.containsOnly(IngestResult.Status.ACCEPTED);
		}
		gateway.awaitAllProcessed(Duration.ofSeconds(30));

		assertThat(processor.processedIds()).containsAll(events.stream().map(IngestEvent::getEventId).toList());
		assertThat(gateway.processedEventIds()).isEmpty();
		assertThatIllegalStateException()
			.isThrownBy(() -> gateway.awaitProcessed(List.of("trigger.sync-0"), Duration.ofSeconds(1)))
			.withMessageContaining("awaitAllProcessed");
	}

	@Test
	void theWorkerPropertiesPointAtThisGateway(TestGateway gateway) {
		Map<String, String> properties = gateway.workerProperties();

		assertThat(gateway).isSameAs(extension.gateway());
		assertThat(properties).containsEntry("gateway.worker.orchestrators", gateway.orchestratorGrpcTarget())
			.containsEntry("gateway.topics.prefix", gateway.topicPrefix())
			.containsEntry("spring.kafka.bootstrap-servers", gateway.kafkaBootstrapServers());
	}

}
