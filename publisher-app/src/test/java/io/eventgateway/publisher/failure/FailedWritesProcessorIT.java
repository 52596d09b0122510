package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TopicReader;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The failed-writes processor role against a real broker, which plays both the primary
 * and the fallback cluster. {@code fwp-it.p20} only takes small records, so the primary
 * refuses every P20 event of normal size: those go to the spool.
 */
@SpringBootTest(classes = PublisherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=publisher-app", "spring.grpc.server.port=0", "gateway.topics.prefix=fwp-it",
				"gateway.topics.partitions=1", "gateway.publisher.failed-writes-processor.enabled=true",
				"gateway.publisher.failed-writes-processor.max-attempts=3",
				"gateway.publisher.failed-writes-processor.initial-backoff=100ms",
				"gateway.publisher.failed-writes-processor.max-backoff=200ms",
				"gateway.publisher.failed-writes-processor.write-timeout=5s" })
class FailedWritesProcessorIT {

	private static final String FAILED_WRITES = "fwp-it.failed-writes";

	private static final String PARKED = "fwp-it.failed-writes.parked";

	private static final String GROUP = "fwp-it-failed-writes-processor";

	private static final Path SPOOL = temporaryDirectory();

	@Autowired
	private FailedWritesProcessor processor;

	@Autowired
	private ConcurrentMessageListenerContainer<String, byte[]> container;

	@Autowired
	private LoopMonitor monitor;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) throws Exception {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
		registry.add("gateway.publisher.fallback-cluster.bootstrap-servers", KafkaTestBroker::bootstrapServers);
		registry.add("gateway.publisher.spool.directory", SPOOL::toString);
		try (Admin admin = admin()) {
			// Created before the role does, so the role leaves it as it is: a primary
			// topic
			// that refuses every normal event.
			admin.createTopics(List.of(new NewTopic("fwp-it.p20", 1, (short) 1)
				.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "128")))).all().get();
		}
	}

	@Test
	void unusableRecordsAreParkedWithTheirReasonWhileEveryValidOneReachesItsTopic() throws Exception {
		Event first = TestEvents.event("valid-first", "acme", Priority.P30);
		Event bulk = TestEvents.event("valid-bulk", "globex", Priority.P10);
		Event offloaded = TestEvents.event("valid-offload", "initech", Priority.P10)
			.toBuilder()
			.setOffload(true)
			.build();
		Event later = TestEvents.event("valid-later", "acme", Priority.P30);
		byte[] notProtobuf = { (byte) 0xff, 0x00, 0x13, 0x37 };
		long parkedBefore = parkedTotal();

		long start = send(record(null, "fwp-it.p30"));
		send(record(first.toByteArray(), "fwp-it.p30"));
		send(record(new byte[0], "fwp-it.p30"));
		send(record(notProtobuf, "fwp-it.p10"));
		send(record(bulk.toByteArray(), "fwp-it.p10"));
		send(record(TestEvents.event("no-header", "acme", Priority.P30).toByteArray(), null));
		send(record(TestEvents.event("stranger", "acme", Priority.P30).toByteArray(), "somebody-elses-topic"));
		send(record(offloaded.toByteArray(), "fwp-it.offload"));
		long last = send(record(notProtobuf, "fwp-it.p30"));

		await().atMost(Duration.ofSeconds(60)).until(() -> parkedTotal() - parkedBefore == 6);
		long end = send(record(later.toByteArray(), "fwp-it.p30"));

		// Other tests write to these topics too: read until this test's events are there.
		assertThat(eventIds(readUntilContains("fwp-it.p30", "valid-first", "valid-later"))).contains("valid-first",
				"valid-later");
		assertThat(eventIds(readUntilContains("fwp-it.p10", "valid-bulk"))).contains("valid-bulk");
		assertThat(eventIds(readUntilContains("fwp-it.offload", "valid-offload"))).contains("valid-offload");
		List<ConsumerRecord<String, byte[]>> parked = read(PARKED, 6).stream()
			.filter((record) -> GatewayHeaders.getLong(record.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1) >= start)
			.toList();
		assertThat(parked)
			.extracting((record) -> GatewayHeaders.getString(record.headers(), GatewayHeaders.PARKED_REASON))
			.containsExactly("TOMBSTONE", "EMPTY_VALUE", "NOT_AN_EVENT", "MISSING_INTENDED_TOPIC",
					"UNKNOWN_INTENDED_TOPIC", "NOT_AN_EVENT");
		assertThat(parked)
			.extracting((record) -> GatewayHeaders.getLong(record.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1))
			.containsExactly(start, start + 2, start + 3, start + 5, start + 6, last);
		assertThat(parked).allSatisfy((record) -> {
			assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.ORIGINAL_TOPIC))
				.isEqualTo(FAILED_WRITES);
			assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.ORIGINAL_PARTITION, -1)).isZero();
			assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.ERROR)).isNotBlank();
		});
		assertThat(parked.get(0).value()).isNull();
		assertThat(parked.get(2).value()).isEqualTo(notProtobuf);
		await().atMost(Duration.ofSeconds(30)).until(() -> committed() == end + 1);
		assertStillRunning();
	}

	@Test
	void aWriteThePrimaryKeepsRefusingIsSpooledAndTheRecordsBehindItMoveOn() throws Exception {
		Event refused = TestEvents.event("refused-p20", "acme", Priority.P20)
			.toBuilder()
			.setRawPayload(ByteString.copyFrom(new byte[1024]))
			.build();
		Event behind = TestEvents.event("behind-refused", "acme", Priority.P30);
		long spooledBefore = this.processor.spooledCount();

		send(record(refused.toByteArray(), "fwp-it.p20"));
		long end = send(record(behind.toByteArray(), "fwp-it.p30"));

		await().atMost(Duration.ofSeconds(60)).until(() -> this.processor.spooledCount() == spooledBefore + 1);
		DirectorySpool spool = new DirectorySpool(SPOOL);
		assertThat(spool.keys()).anySatisfy((key) -> {
			assertThat(spool.read(key).event()).isEqualTo(refused);
			assertThat(spool.read(key).intendedTopic()).isEqualTo("fwp-it.p20");
		});
		assertThat(eventIds(readUntilContains("fwp-it.p30", "behind-refused"))).contains("behind-refused");
		await().atMost(Duration.ofSeconds(30)).until(() -> committed() >= end + 1);
		assertThat(this.processor.failureCount(FailedWritesProcessor.Stage.REPUBLISH)).isGreaterThanOrEqualTo(3);
		assertStillRunning();
	}

	@Test
	void theFailedWritesAndParkingTopicsAreCreatedWithTheConfiguredRetention() throws Exception {
		try (Admin admin = admin()) {
			List<ConfigResource> topics = List.of(new ConfigResource(ConfigResource.Type.TOPIC, FAILED_WRITES),
					new ConfigResource(ConfigResource.Type.TOPIC, PARKED));
			assertThat(admin.describeConfigs(topics).all().get().values())
				.extracting((config) -> config.get(TopicConfig.RETENTION_MS_CONFIG).value())
				.containsOnly(String.valueOf(Duration.ofDays(7).toMillis()));
		}
	}

	private void assertStillRunning() {
		assertThat(this.container.isRunning()).isTrue();
		assertThat(this.container.isChildRunning()).isTrue();
		assertThat(this.monitor.loops()).extracting(LoopHeartbeat::name)
			.contains("listener-failedWritesProcessorContainer");
		assertThat(this.monitor.unhealthy()).isEmpty();
	}

	private long parkedTotal() {
		long total = 0;
		for (UnusableRecordException.Reason reason : UnusableRecordException.Reason.values()) {
			total += this.processor.parkedCount(reason);
		}
		return total;
	}

	private static ProducerRecord<String, byte[]> record(byte[] value, String intendedTopic) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(FAILED_WRITES, 0, "acme", value);
		if (intendedTopic != null) {
			GatewayHeaders.putString(record.headers(), GatewayHeaders.INTENDED_TOPIC, intendedTopic);
		}
		return record;
	}

	/** Sends one record and returns its offset. */
	private static long send(ProducerRecord<String, byte[]> record) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer())) {
			return producer.send(record).get().offset();
		}
	}

	private static long committed() throws Exception {
		TopicPartition partition = new TopicPartition(FAILED_WRITES, 0);
		try (Admin admin = admin()) {
			OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP)
				.partitionsToOffsetAndMetadata()
				.get()
				.get(partition);
			long endOffset = admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
				.partitionResult(partition)
				.get()
				.offset();
			// Committed never runs ahead of the log.
			assertThat((offset != null) ? offset.offset() : 0).isLessThanOrEqualTo(endOffset);
			return (offset != null) ? offset.offset() : -1;
		}
	}

	private static List<ConsumerRecord<String, byte[]>> readUntilContains(String topic, String... eventIds) {
		return TopicReader.readUntil(topic, (records) -> eventIds(records).containsAll(List.of(eventIds)),
				Duration.ofSeconds(30));
	}

	private static List<String> eventIds(List<ConsumerRecord<String, byte[]>> records) {
		return records.stream().map((record) -> {
			try {
				return Event.parseFrom(record.value()).getEventId();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).toList();
	}

	private static List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
		return TopicReader.read(topic, expected, Duration.ofSeconds(30));
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("fwp-it-spool");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
