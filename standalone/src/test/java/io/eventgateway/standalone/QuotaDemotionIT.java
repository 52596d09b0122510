package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A company over its quota has its P30 events demoted to P20, tagged with the level they
 * came from; another company's P30 events are untouched. Every event is still accepted
 * and processed.
 */
class QuotaDemotionIT {

	private static final String PREFIX = "quota";

	private static final RecordingProcessor processor = new RecordingProcessor();

	private static GatewayCluster cluster;

	private static IngestClient ingest;

	@BeforeAll
	static void start() {
		cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.orchestrator.consumer-group=" + PREFIX,
							"--gateway.ingest.quotas.companies.noisy.events-per-second=1",
							"--gateway.ingest.quotas.companies.noisy.burst=5")),
					true, processor);
		ingest = new IngestClient(cluster.ingestHttpPort());
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void aCompanyOverItsQuotaIsDemotedAndAnotherIsNot() throws Exception {
		List<String> batch = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			batch.add(IngestClient.event("noisy-" + i, "noisy", "trigger.x"));
		}
		for (int i = 0; i < 10; i++) {
			batch.add(IngestClient.event("quiet-" + i, "quiet", "trigger.x"));
		}

		HttpResponse<String> response = ingest.post(batch);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"accepted\":30,\"rejected\":0",
				"{\"index\":19,\"event_id\":\"noisy-19\",\"status\":\"accepted\",\"priority\":\"P20\"}");
		// The burst of 5 stays P30; at 1 event/s at most one more token refills
		// meanwhile.
		List<Event> p20 = events(KafkaChecks.read(PREFIX + ".p20", 14, Duration.ofSeconds(30)));
		List<Event> p30 = events(KafkaChecks.read(PREFIX + ".p30", 15, Duration.ofSeconds(30)));
		assertThat(p20).allSatisfy((event) -> {
			assertThat(event.getCompanyId()).isEqualTo("noisy");
			assertThat(event.getTagsMap()).containsEntry("demoted", "P30").containsEntry("rule", "realtime-triggers");
		});
		assertThat(companies(p30)).containsEntry("quiet", 10L);
		assertThat(p20.size() + companies(p30).get("noisy")).isEqualTo(20);
		assertThat(p30).allSatisfy((event) -> assertThat(event.getTagsMap()).containsEntry("realtime", "true")
			.doesNotContainKey("demoted"));
		await().atMost(Duration.ofSeconds(30)).until(() -> processor.processedIds().size() >= 30);
	}

	private static List<Event> events(List<ConsumerRecord<String, byte[]>> records) throws Exception {
		List<Event> events = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			events.add(Event.parseFrom(record.value()));
		}
		return events;
	}

	private static Map<String, Long> companies(List<Event> events) {
		return events.stream().collect(Collectors.groupingBy(Event::getCompanyId, Collectors.counting()));
	}

}
