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

/** The dead-letter topic's content at the end of a run, by event id. */
final class DeadLetters {

	private final Map<String, DeadLetter> byEvent = new HashMap<>();

	private final Map<String, Integer> recordsByEvent = new HashMap<>();

	private DeadLetters() {
	}

	/** Reads the whole topic, up to its end offsets now. */
	static DeadLetters read(String bootstrapServers, String topic) throws InvalidProtocolBufferException {
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
					Event event = Event.parseFrom(record.value());
					letters.byEvent.put(event.getEventId(),
							new DeadLetter(GatewayHeaders.getLong(record.headers(), GatewayHeaders.ATTEMPTS, -1),
									GatewayHeaders.getString(record.headers(), GatewayHeaders.ERROR)));
					letters.recordsByEvent.merge(event.getEventId(), 1, Integer::sum);
				}
			}
		}
		return letters;
	}

	boolean contains(String eventId) {
		return this.byEvent.containsKey(eventId);
	}

	DeadLetter get(String eventId) {
		return this.byEvent.get(eventId);
	}

	/** Records of one event on the topic: more than one is a duplicate. */
	int records(String eventId) {
		return this.recordsByEvent.getOrDefault(eventId, 0);
	}

	/**
	 * One dead letter's history, from its headers.
	 *
	 * @param attempts how many times it was tried
	 * @param error the last failure
	 */
	record DeadLetter(long attempts, String error) {
	}

}
