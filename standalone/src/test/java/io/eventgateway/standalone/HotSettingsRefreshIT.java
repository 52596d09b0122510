package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.configserver.test.GitSettingsRepo;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * An operator's change through the settings repository: commit a new P10 max-records and
 * memory threshold, POST {@code /actuator/refresh} to the running orchestrator, and it
 * uses them at once (as {@code /actuator/gateway} shows), with no restart and no event
 * lost before, during or after the change.
 */
class HotSettingsRefreshIT {

	private static final String PREFIX = "refresh";

	private static final RecordingProcessor processor = new RecordingProcessor();

	@TempDir
	static Path folder;

	private static GitSettingsRepo repo;

	private static EmbeddedConfigServer configServer;

	private static GatewayCluster cluster;

	@BeforeAll
	static void start() {
		repo = GitSettingsRepo.create(folder);
		repo.commit("orchestrator-app.yml", orchestratorSettings(500, 15));
		configServer = TestConfigServer.start(repo);
		cluster = GatewayCluster.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(),
				GatewayCluster.Ports.random(), TestConfigServer.withImport(configServer,
						"--gateway.topics.prefix=" + PREFIX, "--gateway.orchestrator.consumer-group=" + PREFIX)),
				true, processor);
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
		if (configServer != null) {
			configServer.close();
		}
		repo.close();
	}

	@Test
	void maxRecordsAndMemoryThresholdChangeOnRefreshWithNothingLost() throws Exception {
		ActuatorClient orchestrator = new ActuatorClient(cluster.orchestrator());
		Map<String, Object> before = orchestrator.gateway();
		assertThat(ActuatorClient.at(before, "sources.p10.maxRecords")).isEqualTo(500);
		long thresholdBefore = ((Number) ActuatorClient.at(before, "sources.p10.thresholdBytes")).longValue();
		Set<String> sent = new HashSet<>(send("before", 200));

		repo.commit("orchestrator-app.yml", orchestratorSettings(7, 30));
		HttpResponse<String> refresh = orchestrator.post("refresh");

		assertThat(refresh.statusCode()).isEqualTo(200);
		assertThat(refresh.body()).contains("gateway.orchestrator.kafka.max-records.p10",
				"gateway.orchestrator.memory-threshold-percent.p10");
		Map<String, Object> after = orchestrator.gateway();
		assertThat(ActuatorClient.at(after, "sources.p10.maxRecords")).isEqualTo(7);
		// A threshold is its percentage of the heap's maximum, rounded: doubling the
		// percentage doubles it to within a byte.
		assertThat(((Number) ActuatorClient.at(after, "sources.p10.thresholdBytes")).longValue())
			.isCloseTo(thresholdBefore * 2, within(1L));
		assertThat(ActuatorClient.at(after, "settings.rejectedRefreshes")).isEqualTo(0);
		sent.addAll(send("after", 200));

		await().atMost(Duration.ofSeconds(60)).until(() -> processor.processedIds().containsAll(sent));
	}

	private static List<String> send(String tag, int count) throws Exception {
		IngestClient ingest = new IngestClient(cluster.ingestHttpPort());
		List<String> ids = new ArrayList<>();
		List<String> batch = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(tag + "-" + i);
			batch.add(IngestClient.event(tag + "-" + i, "acme-" + (i % 7), "bulk.sync"));
		}
		HttpResponse<String> response = ingest.post(batch);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"accepted\":" + count + ",\"rejected\":0");
		return ids;
	}

	private static String orchestratorSettings(int p10MaxRecords, int p10ThresholdPercent) {
		return """
				gateway:
				  orchestrator:
				    kafka:
				      max-records:
				        p10: %d
				    memory-threshold-percent:
				      p10: %d
				""".formatted(p10MaxRecords, p10ThresholdPercent);
	}

}
