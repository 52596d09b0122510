package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Highest priority first: P10 events that arrived first still wait behind P30 events that
 * arrived later.
 */
class DeadlineOrderIT {

	private static final int BATCH_SIZE = 50;

	private GatewayCluster cluster;

	@BeforeEach
	void startWithoutWorkers() {
		this.cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=order", "--gateway.topics.partitions=2",
							"--gateway.orchestrator.consumer-group=order",
							"--gateway.worker.max-tasks-per-batch=" + BATCH_SIZE)),
					false, null);
	}

	@AfterEach
	void stop() {
		this.cluster.close();
	}

	@Test
	void firstBatchAWorkerGetsHoldsTheP30EventsThoughP10ArrivedFirst() throws Exception {
		IngestClient ingest = new IngestClient(this.cluster.ingestHttpPort());
		List<String> bulk = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			bulk.add(IngestClient.event("bulk-" + i, "company-" + (i % 5), "bulk.sync"));
		}
		List<String> urgent = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			urgent.add(IngestClient.event("urgent-" + i, "company-" + (i % 5), "trigger.flow"));
		}
		assertAccepted(ingest.post(bulk));
		assertAccepted(ingest.post(urgent));
		TaskBuffer buffer = this.cluster.orchestrator().getBean(TaskBuffer.class);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> buffer.events(Priority.P10) == 200 && buffer.events(Priority.P30) == 20);

		RecordingProcessor processor = new RecordingProcessor();
		this.cluster.startWorker(processor);

		await().atMost(Duration.ofSeconds(30)).until(() -> !processor.batches().isEmpty());
		List<Event> first = processor.batches().get(0);
		assertThat(first).hasSize(BATCH_SIZE);
		assertThat(first.subList(0, 20)).allSatisfy((event) -> {
			assertThat(event.getPriorityLevel()).isEqualTo(PriorityLevel.P30);
			assertThat(event.getEventId()).startsWith("urgent-");
		});
		assertThat(first.subList(20, BATCH_SIZE))
			.allSatisfy((event) -> assertThat(event.getPriorityLevel()).isEqualTo(PriorityLevel.P10));
	}

	private static void assertAccepted(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"rejected\":0");
	}

}
