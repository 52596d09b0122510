package io.eventgateway.bench.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.proto.v1.Event;

/**
 * The dead-letter topic's content at the end of a run: by event id, and by where each
 * dead letter was first read (its origin headers), which also finds records that were
 * never events.
 */
final class DeadLetters {

	private final Map<String, DeadLetter> byEvent = new HashMap<>();

	private final Map<String, Integer> recordsByEvent = new HashMap<>();

	private final Map<Origin, DeadLetter> byOrigin = new HashMap<>();

	private DeadLetters() {
	}

	/** Reads the whole topic, up to its end offsets now. */
	static DeadLetters read(String bootstrapServers, String topic) {
		DeadLetters letters = new DeadLetters();
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, "chaos-check-" + UUID.randomUUID(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					letters.add(record);
				}
			}
		}
		return letters;
	}

	private void add(ConsumerRecord<String, byte[]> record) {
		DeadLetter letter = new DeadLetter(record.key(),
				GatewayHeaders.getLong(record.headers(), GatewayHeaders.ATTEMPTS, -1),
				GatewayHeaders.getString(record.headers(), GatewayHeaders.ERROR));
		String originTopic = GatewayHeaders.getString(record.headers(), GatewayHeaders.ORIGINAL_TOPIC);
		if (originTopic != null) {
			this.byOrigin.put(new Origin(originTopic,
					(int) GatewayHeaders.getLong(record.headers(), GatewayHeaders.ORIGINAL_PARTITION, -1),
					GatewayHeaders.getLong(record.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1)), letter);
		}
		String eventId = eventId(record.value());
		if (eventId != null) {
			this.byEvent.put(eventId, letter);
			this.recordsByEvent.merge(eventId, 1, Integer::sum);
		}
	}

	/** The id of the event a value holds, or {@code null} for a value that is none. */
	/** The id of the event a record holds, or {@code null} when it holds none. */
	static String eventId(byte[] value) {
		if (value == null) {
			return null;
		}
		try {
			String id = Event.parseFrom(value).getEventId();
			return id.isEmpty() ? null : id;
		}
		catch (InvalidProtocolBufferException ex) {
			// A record that was never an event, dead-lettered as it was found.
			return null;
		}
	}

	boolean contains(String eventId) {
		return this.byEvent.containsKey(eventId);
	}

	DeadLetter get(String eventId) {
		return this.byEvent.get(eventId);
	}

	/** These dead letters and those of another cluster's dead-letter topic. */
	DeadLetters plus(DeadLetters other) {
		DeadLetters both = new DeadLetters();
		for (DeadLetters letters : List.of(this, other)) {
			both.byEvent.putAll(letters.byEvent);
			both.byOrigin.putAll(letters.byOrigin);
			letters.recordsByEvent.forEach((id, count) -> both.recordsByEvent.merge(id, count, Integer::sum));
		}
		return both;
	}

	/** The dead letter of the record first read at that place, or {@code null}. */
	DeadLetter at(Origin origin) {
		return this.byOrigin.get(origin);
	}

	/** Records of one event on the topic: more than one is a duplicate. */
	int records(String eventId) {
		return this.recordsByEvent.getOrDefault(eventId, 0);
	}

	/**
	 * One dead letter's history, from its key and headers.
	 *
	 * @param key its record key
	 * @param attempts how many times it was tried
	 * @param error the last failure
	 */
	record DeadLetter(String key, long attempts, String error) {
	}

	/**
	 * Where a record was first read.
	 *
	 * @param topic its topic
	 * @param partition its partition
	 * @param offset its offset
	 */
	record Origin(String topic, int partition, long offset) {

		@Override
		public String toString() {
			return this.topic + "-" + this.partition + "@" + this.offset;
		}

	}

}
