package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.FlowControlSignal;
import io.eventgateway.proto.v1.TaskResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records the gateway did not write, of every kind, sit in one partition of every topic
 * the orchestrator and ingest read, before, between and after valid events that one poll
 * returns together. Every valid event is processed, every foreign record of a source
 * topic is in the dead-letter topic with its origin and reason, nothing stops, and events
 * accepted afterwards flow.
 */
class ForeignRecordsIT {

	private static final String PREFIX = "foreign-it";

	private static final TopicLayout TOPICS = new TopicLayout(PREFIX, 1);

	private static final Duration RETRY_DELAY = Duration.ofSeconds(2);

	private final Set<String> processed = ConcurrentHashMap.newKeySet();

	private final Random random = new Random(42);

	private GatewayCluster cluster;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void foreignRecordsCostOnlyThemselvesInEveryTopicTheGatewayReads() throws Exception {
		createTopics();
		Set<String> valid = new HashSet<>();
		Set<String> foreignPositions = new HashSet<>();
		try (KafkaProducer<String, byte[]> producer = producer()) {
			for (String topic : List.of(TOPICS.priority(Priority.P30), TOPICS.priority(Priority.P20),
					TOPICS.priority(Priority.P10), TOPICS.offload(), TOPICS.retry(1))) {
				writeSourceTopic(producer, topic, valid, foreignPositions);
			}
			for (String topic : List.of(TOPICS.responses(), TOPICS.flowControl())) {
				for (ProducerRecord<String, byte[]> record : foreignKinds(topic)) {
					producer.send(record).get();
				}
			}
			producer.flush();
		}

		this.cluster = GatewayCluster.start(
				new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
						List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=1",
								"--gateway.topics.retry-levels=1", "--gateway.orchestrator.consumer-group=" + PREFIX,
								"--gateway.orchestrator.retry.base-delay=" + RETRY_DELAY.toMillis() + "ms")),
				true, (event) -> this.processed.add(event.getEventId()));

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(this.processed).containsAll(valid));
		List<ConsumerRecord<String, byte[]>> deadLetters = KafkaChecks.read(TOPICS.dlq(), foreignPositions.size(),
				Duration.ofSeconds(30));
		Set<String> deadLetteredPositions = new HashSet<>();
		for (ConsumerRecord<String, byte[]> letter : deadLetters) {
			deadLetteredPositions.add(GatewayHeaders.getString(letter.headers(), GatewayHeaders.ORIGINAL_TOPIC) + "@"
					+ GatewayHeaders.getLong(letter.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1));
			assertThat(GatewayHeaders.getString(letter.headers(), GatewayHeaders.ERROR))
				.startsWith("not a gateway event: ");
		}
		assertThat(deadLetteredPositions).isEqualTo(foreignPositions);

		// Committed past every record, foreign ones included.
		var partitions = KafkaChecks.priorityPartitions(PREFIX, 1);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(KafkaChecks.committedOffsets(PREFIX, partitions))
				.isEqualTo(KafkaChecks.endOffsets(partitions)));

		// Events accepted afterwards flow.
		HttpResponse<String> response = new IngestClient(this.cluster.ingestHttpPort()).post(List
			.of(IngestClient.event("after-1", "acme", "trigger.x"), IngestClient.event("after-2", "acme", "bulk.x")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.processed).contains("after-1", "after-2"));

		for (var role : List.of(this.cluster.orchestrator(), this.cluster.ingest(), this.cluster.worker())) {
			HttpResponse<String> liveness = new ActuatorClient(role).get("health/liveness");
			assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
		}
		assertThat(this.cluster.orchestrator()
			.getBean(io.micrometer.core.instrument.MeterRegistry.class)
			.get("gateway.orchestrator.records.undecodable")
			.tag("topic", TOPICS.priority(Priority.P10))
			.counter()
			.count()).as("every kind plus the last record")
			.isEqualTo(foreignKinds(TOPICS.priority(Priority.P10)).size() + 1);
	}

	/**
	 * Foreign first, then valid events with every kind of foreign record between them,
	 * and a foreign record last, all in partition 0.
	 */
	private void writeSourceTopic(KafkaProducer<String, byte[]> producer, String topic, Set<String> valid,
			Set<String> foreignPositions) throws Exception {
		List<ProducerRecord<String, byte[]>> foreign = foreignKinds(topic);
		int n = 0;
		for (ProducerRecord<String, byte[]> record : foreign) {
			foreignPositions.add(topic + "@" + producer.send(record).get().offset());
			String id = topic + "-valid-" + n++;
			producer.send(validEvent(topic, id)).get();
			valid.add(id);
		}
		foreignPositions.add(topic + "@" + producer.send(new ProducerRecord<>(topic, 0, "last", null)).get().offset());
		if (topic.equals(TOPICS.retry(1))) {
			// Valid retry records whose not-before header is garbage or far in the
			// future:
			// served at once, or after at most the level's delay.
			ProducerRecord<String, byte[]> garbage = validEvent(topic, "retry-garbage-not-before");
			garbage.headers().add(GatewayHeaders.NOT_BEFORE, new byte[] { 7 });
			producer.send(garbage).get();
			ProducerRecord<String, byte[]> farFuture = validEvent(topic, "retry-far-future");
			GatewayHeaders.putLong(farFuture.headers(), GatewayHeaders.NOT_BEFORE, Long.MAX_VALUE);
			producer.send(farFuture).get();
			valid.add("retry-garbage-not-before");
			valid.add("retry-far-future");
		}
	}

	private List<ProducerRecord<String, byte[]>> foreignKinds(String topic) {
		byte[] randomBytes = new byte[64];
		this.random.nextBytes(randomBytes);
		Event base = event("foreign", Priority.P10);
		Timestamp outOfRange = Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build();
		RecordHeaders oversized = new RecordHeaders();
		oversized.add("x-test", new byte[64 * 1024]);
		List<ProducerRecord<String, byte[]>> kinds = new ArrayList<>();
		kinds.add(new ProducerRecord<>(topic, 0, "tombstone", null));
		kinds.add(new ProducerRecord<>(topic, 0, "empty", new byte[0]));
		kinds.add(new ProducerRecord<>(topic, 0, "random", randomBytes));
		kinds.add(new ProducerRecord<>(topic, 0, "text", "not an event".getBytes()));
		kinds.add(new ProducerRecord<>(topic, 0, "signal",
				FlowControlSignal.newBuilder().setReplica(9).setReason("not an event").build().toByteArray()));
		kinds.add(new ProducerRecord<>(topic, 0, "response",
				TaskResponse.newBuilder().setLeaseId("no-lease").build().toByteArray()));
		kinds.add(new ProducerRecord<>(topic, 0, "priority",
				base.toBuilder().setPriorityLevelValue(77).build().toByteArray()));
		kinds.add(new ProducerRecord<>(topic, 0, "no-id", base.toBuilder().clearEventId().build().toByteArray()));
		kinds.add(new ProducerRecord<>(topic, 0, "no-deadline",
				base.toBuilder().clearSloDeadline().build().toByteArray()));
		kinds.add(new ProducerRecord<>(topic, 0, "deadline-range",
				base.toBuilder().setSloDeadline(outOfRange).build().toByteArray()));
		kinds.add(new ProducerRecord<>(topic, 0, null, "oversized-header", "x".getBytes(), oversized));
		return kinds;
	}

	private static ProducerRecord<String, byte[]> validEvent(String topic, String id) {
		Priority priority = topic.endsWith(".p30") ? Priority.P30
				: topic.endsWith(".p20") ? Priority.P20 : Priority.P10;
		Event event = event(id, priority);
		if (topic.contains(".retry.")) {
			event = event.toBuilder().setAttempt(1).build();
		}
		return new ProducerRecord<>(topic, 0, "acme", event.toByteArray());
	}

	private static Event event(String id, Priority priority) {
		Instant now = Instant.now();
		return Event.newBuilder()
			.setEventId(id)
			.setCompanyId("acme")
			.setEventType("test.foreign")
			.setPriorityLevel(priority.toProto())
			.setIngestedAt(ProtoTime.timestamp(now))
			.setSloDeadline(ProtoTime.timestamp(priority.deadlineFor(now)))
			.build();
	}

	private static void createTopics() throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()))) {
			admin.createTopics(TOPICS.all().stream().map((name) -> new NewTopic(name, 1, (short) 1)).toList())
				.all()
				.get();
		}
	}

	private static KafkaProducer<String, byte[]> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer());
	}

}
