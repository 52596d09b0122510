package io.eventgateway.standalone;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.ProcessingOutcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The orchestrator goes away while a worker holds a lease: nothing it leased was
 * committed, and a new orchestrator serves every event again, so none is lost.
 */
class OrchestratorRestartIT {

	private static final String PREFIX = "restart-it";

	private static final int PARTITIONS = 2;

	private final CountDownLatch releaseFirstBatch = new CountDownLatch(1);

	private final GatedProcessor processor = new GatedProcessor(this.releaseFirstBatch);

	private GatewayCluster cluster;

	@BeforeEach
	void start() throws IOException {
		this.cluster = GatewayCluster.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(),
				GatewayCluster.Ports.random().withOrchestratorGrpc(TestPorts.freePort()),
				List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=" + PARTITIONS,
						"--gateway.orchestrator.consumer-group=" + PREFIX, "--gateway.worker.max-tasks-per-batch=50")),
				true, this.processor);
	}

	@AfterEach
	void stop() {
		this.releaseFirstBatch.countDown();
		this.cluster.close();
	}

	@Test
	void everyEventIsServedAgainByANewOrchestratorAndNothingLeasedWasCommitted() throws Exception {
		IngestClient ingest = new IngestClient(this.cluster.ingestHttpPort());
		Set<String> sent = new HashSet<>();
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			sent.add("restart-" + i);
			events.add(IngestClient.event("restart-" + i, "company-" + (i % 7), (i % 3 == 0) ? "trigger.x" : "bulk.x"));
		}
		HttpResponse<String> response = ingest.post(events);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.processor.batches().isEmpty());

		this.cluster.stopOrchestrator();

		// The only worker is stuck in its first batch: nothing was ACKed, so nothing may
		// be committed.
		List<TopicPartition> partitions = KafkaChecks.priorityPartitions(PREFIX, PARTITIONS);
		assertThat(KafkaChecks.committedOffsets(PREFIX, partitions).values()).allMatch((offset) -> offset == 0);

		this.cluster.startOrchestrator();
		this.releaseFirstBatch.countDown();

		await().atMost(Duration.ofSeconds(60)).until(() -> this.processor.processedIds().containsAll(sent));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(KafkaChecks.committedOffsets(PREFIX, partitions))
				.isEqualTo(KafkaChecks.endOffsets(partitions)));
	}

	/**
	 * Records like {@link RecordingProcessor}, but holds its first batch until released.
	 */
	private static final class GatedProcessor extends RecordingProcessor {

		private final CountDownLatch release;

		GatedProcessor(CountDownLatch release) {
			this.release = release;
		}

		@Override
		public List<ProcessingOutcome> processBatch(List<Event> events) {
			boolean first = batches().isEmpty();
			List<ProcessingOutcome> outcomes = super.processBatch(events);
			if (first) {
				try {
					this.release.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return outcomes;
		}

	}

}
