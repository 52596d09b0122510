package io.eventgateway.orchestrator.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic from its start up to the end offsets it had when the scan began, with a
 * consumer of no group (assign and seek, nothing committed), so that a scan ends even
 * while others keep writing.
 */
final class BoundedTopicScan {

	private static final Duration POLL = Duration.ofMillis(200);

	private BoundedTopicScan() {
	}

	/**
	 * Hands every record of the topic below its end offsets at start to {@code sink}.
	 * @return whether the topic exists (nothing is read when it does not)
	 * @throws IllegalStateException when the scan takes longer than {@code timeout}
	 */
	static boolean scan(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic,
			Duration timeout, Consumer<ConsumerRecord<String, byte[]>> sink) {
		List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
		if (partitions == null || partitions.isEmpty()) {
			return false;
		}
		List<TopicPartition> assigned = new ArrayList<>();
		for (PartitionInfo partition : partitions) {
			assigned.add(new TopicPartition(topic, partition.partition()));
		}
		consumer.assign(assigned);
		consumer.seekToBeginning(assigned);
		Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(assigned, timeout));
		drain(consumer, ends, timeout, sink);
		return true;
	}

	/**
	 * Reads the assigned partitions from their current positions until each reached its
	 * end offset in {@code ends}.
	 */
	static void drain(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
			Map<TopicPartition, Long> ends, Duration timeout, Consumer<ConsumerRecord<String, byte[]>> sink) {
		Instant deadline = Instant.now().plus(timeout);
		Map<TopicPartition, Long> remaining = new HashMap<>(ends);
		remaining.entrySet().removeIf((end) -> consumer.position(end.getKey(), timeout) >= end.getValue());
		while (!remaining.isEmpty()) {
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("Reading " + remaining.keySet() + " took longer than " + timeout);
			}
			for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
				Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
				if (end != null && record.offset() < end) {
					sink.accept(record);
				}
			}
			// Positions, not the last record read: transaction markers and compacted
			// gaps take offsets no record carries.
			remaining.entrySet().removeIf((end) -> consumer.position(end.getKey(), timeout) >= end.getValue());
		}
	}

}
