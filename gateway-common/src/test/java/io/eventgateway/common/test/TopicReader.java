package io.eventgateway.common.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import static org.awaitility.Awaitility.await;

/**
 * Reads what a test expects to find on a topic, from its start, in a group of its own.
 */
public final class TopicReader {

	private TopicReader() {
	}

	/**
	 * Reads the topic of the shared test broker until at least {@code expected} records
	 * arrived.
	 */
	public static List<ConsumerRecord<String, byte[]>> read(String topic, int expected, Duration timeout) {
		return read(KafkaTestBroker.bootstrapServers(), topic, expected, timeout);
	}

	/**
	 * Reads the topic of the shared test broker until what was read satisfies
	 * {@code done}, failing after the timeout: for topics other tests write to as well.
	 */
	public static List<ConsumerRecord<String, byte[]>> readUntil(String topic,
			Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
		return read(KafkaTestBroker.bootstrapServers(), topic, done, timeout);
	}

	/**
	 * Reads the topic of the given cluster until at least {@code expected} records
	 * arrived, failing after the timeout.
	 */
	public static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic, int expected,
			Duration timeout) {
		return read(bootstrapServers, topic, (records) -> records.size() >= expected, timeout);
	}

	private static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic,
			Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"test-reader-" + topic + "-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
						"earliest"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			await().atMost(timeout).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return done.test(records);
			});
		}
		return records;
	}

}
