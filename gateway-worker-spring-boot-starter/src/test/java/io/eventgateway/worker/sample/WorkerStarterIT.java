package io.eventgateway.worker.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;
import io.eventgateway.worker.config.WorkerGatewayEndpoint;
import io.eventgateway.worker.fleet.FakeReplica;
import io.eventgateway.worker.fleet.ResponsesTopic;
import io.eventgateway.worker.fleet.OrchestratorFleetHealthIndicator;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's worker, which declares nothing but its {@link EventProcessor}, against an
 * orchestrator replica over a real socket and the test broker: the starter alone makes it
 * fetch, process, answer ACK on the responses topic, and report health and meters.
 */
class WorkerStarterIT {

	private FakeReplica orchestrator;

	private ConfigurableApplicationContext worker;

	@AfterEach
	void stop() throws Exception {
		if (this.worker != null) {
			this.worker.close();
		}
		if (this.orchestrator != null) {
			this.orchestrator.close();
		}
	}

	@Test
	void anApplicationWithOnlyAProcessorBeanFetchesProcessesAndAnswers() throws Exception {
		int port = freePort();
		this.orchestrator = new FakeReplica(0, port);
		this.worker = SpringApplication.run(OrdersWorker.class,
				"--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
				"--gateway.worker.orchestrators=127.0.0.1:" + port, "--gateway.topics.prefix=worker-starter-it",
				"--gateway.worker.max-wait=100ms", "--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off");

		assertThat(this.worker.getBean("fetchLoops", LoopThreads.class).isRunning()).isTrue();
		assertThat(this.worker.getBeansOfType(EventProcessor.class)).containsOnlyKeys("orders");
		assertThat(this.worker.getBeansOfType(WorkerGatewayEndpoint.class)).hasSize(1);
		// The starter's own defaults apply without a line of the application's settings.
		assertThat(
				this.worker.getBean(GrpcClientProperties.class).getChannel("orchestrator").getMaxInboundMessageSize())
			.isEqualTo(DataSize.ofMegabytes(16));
		WorkerStats stats = this.worker.getBean(WorkerStats.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> stats.acked(Priority.P20) >= 3);

		List<TaskResponse> answers = ResponsesTopic.answers(this.worker.getBean(TopicLayout.class).responses(), 3);
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.getOutcomesList())
			.allSatisfy((outcome) -> assertThat(outcome.getVerdict()).isEqualTo(TaskOutcome.Verdict.ACK)));
		assertThat(answers).map(TaskResponse::getLeaseId).allMatch((leaseId) -> leaseId.startsWith("r0-lease-"));
		assertThat(this.worker.getBean(MeterRegistry.class)
			.counter("gateway.worker.fetches", "replica", "0", "outcome", "tasks")
			.count()).isPositive();
		assertThat(this.worker.getBean(OrchestratorFleetHealthIndicator.class).health(true).getStatus())
			.isEqualTo(Status.UP);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
