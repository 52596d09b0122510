package io.eventgateway.orchestrator.delay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.orchestrator.OrchestratorApplication;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running orchestrator forwards records of its delay topics (tiers of 1s and 2s here):
 * each reaches its destination once due and not before its hold ends, one whose tier
 * ended before it was due moves to the shorter tier first, and a bad record goes to the
 * dead-letter topic alone while the record after it is forwarded.
 */
class DelayForwarderIT {

	private static final String PREFIX = "delay-it";

	private static final String TIER_1S = PREFIX + ".delay.1s";

	private static final String TIER_2S = PREFIX + ".delay.2s";

	private static final String P30 = PREFIX + ".p30";

	private ConfigurableApplicationContext context;

	/** The value written for each key, to compare with what arrives. */
	private final Map<String, byte[]> events = new HashMap<>();

	@BeforeEach
	void start() {
		this.context = GatewayApplications.builder(OrchestratorApplication.class, OrchestratorApplication.ROLE)
			.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
					"--spring.grpc.server.port=0", "--spring.main.banner-mode=off", "--gateway.topics.prefix=" + PREFIX,
					"--gateway.topics.partitions=1", "--gateway.topics.delay-tiers=1s,2s",
					"--gateway.orchestrator.consumer-group=" + PREFIX, "--gateway.orchestrator.replica-index=0",
					"--gateway.orchestrator.lag.enabled=false");
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void delayRecordsReachTheirDestinationOnceDueThroughShorterTiersAndBadOnesTheDeadLetterTopic() throws Exception {
		long t0 = System.currentTimeMillis();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer())) {
			// In the 1s tier: a bad record (its destination is not a priority topic),
			// then
			// one due at once, then one held until its not-before.
			producer.send(delay(TIER_1S, "c", t0, t0, PREFIX + ".retry.1")).get();
			producer.send(delay(TIER_1S, "d", t0, t0, P30)).get();
			producer.send(delay(TIER_1S, "a", t0 + 800, t0 + 800, P30)).get();
			// In the 2s tier, due a second after its hold there ends.
			producer.send(delay(TIER_2S, "b", t0 + 2000, t0 + 3000, P30)).get();
		}

		try (KafkaConsumer<String, byte[]> reader = reader()) {
			reader.subscribe(List.of(P30, TIER_1S, PREFIX + ".dlq"));
			List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
			await().atMost(Duration.ofSeconds(25)).until(() -> {
				reader.poll(Duration.ofMillis(200)).forEach(read::add);
				return on(read, P30).size() >= 3;
			});

			assertThat(on(read, P30)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("d", "a", "b");
			ConsumerRecord<String, byte[]> a = keyed(on(read, P30), "a");
			assertThat(a.timestamp()).isGreaterThanOrEqualTo(t0 + 800);
			assertThat(a.value()).isEqualTo(event("a"));
			assertThat(a.headers().lastHeader(GatewayHeaders.DELAY_UNTIL)).isNull();
			assertThat(a.headers().lastHeader("custom")).isNotNull();
			assertThat(keyed(on(read, P30), "b").timestamp()).isGreaterThanOrEqualTo(t0 + 3000);

			// b waited its 2s tier, then its last second in the 1s tier.
			ConsumerRecord<String, byte[]> moved = keyed(on(read, TIER_1S), "b");
			assertThat(GatewayHeaders.getLong(moved.headers(), GatewayHeaders.NOT_BEFORE, 0)).isEqualTo(t0 + 3000);
			assertThat(moved.timestamp()).isGreaterThanOrEqualTo(t0 + 2000);

			List<ConsumerRecord<String, byte[]>> letters = on(read, PREFIX + ".dlq");
			assertThat(letters).singleElement().satisfies((letter) -> {
				assertThat(letter.key()).isEqualTo("c");
				assertThat(GatewayHeaders.getString(letter.headers(), GatewayHeaders.ORIGINAL_TOPIC))
					.isEqualTo(TIER_1S);
				assertThat(GatewayHeaders.getLong(letter.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1)).isZero();
				assertThat(GatewayHeaders.getString(letter.headers(), GatewayHeaders.ERROR)).contains(
						GatewayHeaders.DELAYED_TO + " '" + PREFIX + ".retry.1' is not a priority or offload topic");
			});
		}
		MeterRegistry registry = this.context.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> registry.get("gateway.orchestrator.delay.forwarded")
				.tag("outcome", "due")
				.functionCounter()
				.count() == 3);
		assertThat(registry.get("gateway.orchestrator.delay.forwarded")
			.tag("outcome", "next-tier")
			.functionCounter()
			.count()).isEqualTo(1);
		assertThat(registry.get("gateway.orchestrator.delay.forwarded")
			.tag("outcome", "dead-letter")
			.functionCounter()
			.count()).isEqualTo(1);
	}

	private ProducerRecord<String, byte[]> delay(String topic, String key, long notBefore, long due,
			String destination) {
		RecordHeaders headers = new RecordHeaders();
		headers.add("custom", new byte[] { 1 });
		GatewayHeaders.putLong(headers, GatewayHeaders.NOT_BEFORE, notBefore);
		GatewayHeaders.putLong(headers, GatewayHeaders.DELAY_UNTIL, due);
		GatewayHeaders.putString(headers, GatewayHeaders.DELAYED_TO, destination);
		return new ProducerRecord<>(topic, null, key, event(key), headers);
	}

	/** A real event, so that the orchestrator's own P30 source buffers it. */
	private byte[] event(String key) {
		return this.events.computeIfAbsent(key,
				(id) -> TestEvents.event("delayed-" + id, "acme", Priority.P30).toByteArray());
	}

	private static KafkaConsumer<String, byte[]> reader() {
		return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, PREFIX + "-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
				"earliest"), new StringDeserializer(), new ByteArrayDeserializer());
	}

	private static List<ConsumerRecord<String, byte[]>> on(List<ConsumerRecord<String, byte[]>> read, String topic) {
		return read.stream().filter((record) -> record.topic().equals(topic)).toList();
	}

	private static ConsumerRecord<String, byte[]> keyed(List<ConsumerRecord<String, byte[]>> records, String key) {
		Optional<ConsumerRecord<String, byte[]>> found = records.stream()
			.filter((record) -> key.equals(record.key()))
			.findFirst();
		assertThat(found).as("a record keyed " + key).isPresent();
		return found.get();
	}

}
