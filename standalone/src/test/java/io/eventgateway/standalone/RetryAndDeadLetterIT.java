package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker NACKs every event of one company: those events pass through each retry level,
 * each after its delay, and land in the dead-letter topic with their history in headers,
 * while the other companies' events are ACKed and committed meanwhile.
 */
class RetryAndDeadLetterIT {

	private static final String PREFIX = "retry-it";

	private static final int PARTITIONS = 2;

	private static final Duration BASE_DELAY = Duration.ofMillis(500);

	/** Delays of levels 1, 2 and 3 with multiplier 2. */
	private static final List<Duration> DELAYS = List.of(BASE_DELAY, BASE_DELAY.multipliedBy(2),
			BASE_DELAY.multipliedBy(4));

	/**
	 * Lower bound slack: clocks and polls may round a due time down by a few
	 * milliseconds.
	 */
	private static final Duration EARLY_TOLERANCE = Duration.ofMillis(50);

	private final Map<String, List<Instant>> deliveries = new ConcurrentHashMap<>();

	private final Set<String> acked = ConcurrentHashMap.newKeySet();

	private GatewayCluster cluster;

	@BeforeEach
	void start() {
		EventProcessor processor = (event) -> {
			this.deliveries.computeIfAbsent(event.getEventId(), (id) -> new CopyOnWriteArrayList<>())
				.add(Instant.now());
			if (event.getCompanyId().equals("poison-co")) {
				throw new IllegalStateException("cannot process " + event.getEventId());
			}
			this.acked.add(event.getEventId());
		};
		this.cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=" + PARTITIONS,
							"--gateway.topics.retry-levels=3", "--gateway.orchestrator.consumer-group=" + PREFIX,
							"--gateway.orchestrator.retry.base-delay=" + BASE_DELAY.toMillis() + "ms",
							"--gateway.orchestrator.retry.multiplier=2")),
					true, processor);
	}

	@AfterEach
	void stop() {
		this.cluster.close();
	}

	@Test
	void nackedEventsPassEveryRetryLevelThenDeadLetterWhileOthersAreCommitted() throws Exception {
		IngestClient ingest = new IngestClient(this.cluster.ingestHttpPort());
		List<String> batch = new ArrayList<>();
		Set<String> poison = new HashSet<>();
		Set<String> healthy = new HashSet<>();
		for (int i = 0; i < 60; i++) {
			boolean isPoison = i % 6 == 0;
			String id = (isPoison ? "poison-" : "healthy-") + i;
			(isPoison ? poison : healthy).add(id);
			batch.add(IngestClient.event(id, isPoison ? "poison-co" : "company-" + (i % 4),
					(i % 2 == 0) ? "trigger.x" : "bulk.x"));
		}
		HttpResponse<String> response = ingest.post(batch);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

		List<ConsumerRecord<String, byte[]>> deadLetters = KafkaChecks.read(PREFIX + ".dlq", poison.size(),
				Duration.ofSeconds(60));

		assertThat(deadLetters).hasSize(poison.size());
		Set<String> originalPositions = new HashSet<>();
		for (ConsumerRecord<String, byte[]> record : deadLetters) {
			Event event = Event.parseFrom(record.value());
			assertThat(poison).contains(event.getEventId());
			assertThat(record.key()).isEqualTo("poison-co");
			assertThat(event.getAttempt()).isEqualTo(4);
			assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.ATTEMPTS, -1)).isEqualTo(4);
			assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.ERROR))
				.isEqualTo("IllegalStateException: cannot process " + event.getEventId());
			String originalTopic = GatewayHeaders.getString(record.headers(), GatewayHeaders.ORIGINAL_TOPIC);
			assertThat(originalTopic).isIn(PREFIX + ".p30", PREFIX + ".p10");
			originalPositions.add(originalTopic + "/"
					+ GatewayHeaders.getLong(record.headers(), GatewayHeaders.ORIGINAL_PARTITION, -1) + "/"
					+ GatewayHeaders.getLong(record.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1));
		}
		assertThat(originalPositions).as("each dead letter names its own original record").hasSize(poison.size());

		for (String id : poison) {
			List<Instant> times = this.deliveries.get(id);
			assertThat(times).as("deliveries of %s", id).hasSize(4);
			for (int level = 0; level < DELAYS.size(); level++) {
				Duration gap = Duration.between(times.get(level), times.get(level + 1));
				assertThat(gap).as("wait before retry level %d of %s", level + 1, id)
					.isGreaterThanOrEqualTo(DELAYS.get(level).minus(EARLY_TOLERANCE))
					.isLessThan(DELAYS.get(level).plusSeconds(10));
			}
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> this.acked.containsAll(healthy));
		List<TopicPartition> partitions = KafkaChecks.priorityPartitions(PREFIX, PARTITIONS);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(KafkaChecks.committedOffsets(PREFIX, partitions))
				.isEqualTo(KafkaChecks.endOffsets(partitions)));
	}

}
