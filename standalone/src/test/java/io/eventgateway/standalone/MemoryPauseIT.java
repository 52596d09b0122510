package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.orchestrator.buffer.TaskBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a small memory threshold for P10 and no workers, a burst of P10 events pauses the
 * P10 source while P30 keeps flowing; once workers drain the buffer, P10 resumes.
 */
class MemoryPauseIT {

	private static final String PREFIX = "memory-it";

	/** About 100 KB of held P10 tasks, as a share of this JVM's heap. */
	private static final double P10_THRESHOLD_PERCENT = 100.0 * 100_000 / Runtime.getRuntime().maxMemory();

	private GatewayCluster cluster;

	@BeforeEach
	void startWithoutWorkers() {
		this.cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=1",
							"--gateway.orchestrator.consumer-group=" + PREFIX,
							"--gateway.orchestrator.kafka.max-records.p10=50",
							"--gateway.orchestrator.memory-threshold-percent.p10="
									+ String.format(Locale.ROOT, "%.8f", P10_THRESHOLD_PERCENT),
							"--gateway.orchestrator.memory-hysteresis-percent="
									+ String.format(Locale.ROOT, "%.8f", P10_THRESHOLD_PERCENT / 2),
							"--gateway.worker.max-tasks-per-batch=500")),
					false, null);
	}

	@AfterEach
	void stop() {
		this.cluster.close();
	}

	@Test
	void p10PausesAboveItsThresholdWhileP30FlowsAndResumesOnceDrained() throws Exception {
		IngestClient ingest = new IngestClient(this.cluster.ingestHttpPort());
		Set<String> sent = new HashSet<>();
		for (int request = 0; request < 4; request++) {
			sent.addAll(post(ingest, "bulk-" + request + "-", "bulk.sync", 500));
		}
		TaskBuffer buffer = this.cluster.orchestrator().getBean(TaskBuffer.class);
		// Paused, and what it had read already handed on: from then on nothing enters.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> gatewayState().matches("(?s).*\"p10\":\\{[^}]*\"paused\":true[^}]*\"waitingBytes\":0[,}].*"));
		long p10Buffered = buffer.events(Priority.P10);
		assertThat(p10Buffered).isPositive().isLessThan(2000);
		assertThat(metric("gateway.orchestrator.source.pauses", "source:p10")).contains("\"value\":1.0");

		sent.addAll(post(ingest, "urgent-", "trigger.flow", 100));
		await().atMost(Duration.ofSeconds(30)).until(() -> buffer.events(Priority.P30) == 100);
		assertThat(buffer.events(Priority.P10)).isEqualTo(p10Buffered);

		RecordingProcessor processor = new RecordingProcessor();
		this.cluster.startWorker(processor);

		await().atMost(Duration.ofSeconds(60)).until(() -> processor.processedIds().containsAll(sent));
		// Answers reach the orchestrator after the worker saw the events, and the gate is
		// looked at again before the source's next poll.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> gatewayState().matches("(?s).*\"p10\":\\{[^}]*\"paused\":false.*"));
		assertThat(metric("gateway.orchestrator.source.resumes", "source:p10")).doesNotContain("\"value\":0.0");
	}

	private static List<String> post(IngestClient ingest, String idPrefix, String eventType, int count)
			throws Exception {
		List<String> ids = new ArrayList<>();
		List<String> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(idPrefix + i);
			events.add(IngestClient.event(idPrefix + i, "company-" + (i % 3), eventType));
		}
		HttpResponse<String> response = ingest.post(events);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return ids;
	}

	private String gatewayState() throws Exception {
		return get("/actuator/gateway");
	}

	private String metric(String name, String tag) throws Exception {
		return get("/actuator/metrics/" + name + "?tag=" + tag);
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = new ActuatorClient(this.cluster.orchestrator())
			.get(path.substring("/actuator/".length()));
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

}
