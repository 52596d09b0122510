package io.eventgateway.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TopicReader;

/**
 * Reads offsets and records straight from the test broker, to check what the gateway did.
 */
final class KafkaChecks {

	private KafkaChecks() {
	}

	/** The partitions of the priority topics under a prefix. */
	static List<TopicPartition> priorityPartitions(String prefix, int partitions) {
		List<TopicPartition> result = new ArrayList<>();
		for (String topic : List.of(prefix + ".p30", prefix + ".p20", prefix + ".p10")) {
			for (int partition = 0; partition < partitions; partition++) {
				result.add(new TopicPartition(topic, partition));
			}
		}
		return result;
	}

	/** The end offset of each partition. */
	static Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) throws Exception {
		try (Admin admin = admin()) {
			Map<TopicPartition, OffsetSpec> request = partitions.stream()
				.collect(Collectors.toMap((partition) -> partition, (partition) -> OffsetSpec.latest()));
			return admin.listOffsets(request)
				.all()
				.get()
				.entrySet()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().offset()));
		}
	}

	/**
	 * The offset the orchestrator committed for each priority-topic partition; 0 where it
	 * committed nothing. Each source reads in its own group, {@code <group prefix>-p30}
	 * and so on.
	 */
	static Map<TopicPartition, Long> committedOffsets(String groupPrefix, List<TopicPartition> partitions)
			throws Exception {
		try (Admin admin = admin()) {
			Map<TopicPartition, Long> offsets = new HashMap<>();
			for (TopicPartition partition : partitions) {
				String source = partition.topic().substring(partition.topic().lastIndexOf('.') + 1);
				OffsetAndMetadata committed = admin.listConsumerGroupOffsets(groupPrefix + "-" + source)
					.partitionsToOffsetAndMetadata()
					.get()
					.get(partition);
				offsets.put(partition, (committed != null) ? committed.offset() : 0L);
			}
			return offsets;
		}
	}

	/** Reads a topic from the start until at least {@code expected} records arrived. */
	static List<ConsumerRecord<String, byte[]>> read(String topic, int expected, Duration timeout) {
		return read(KafkaTestBroker.bootstrapServers(), topic, expected, timeout);
	}

	/**
	 * Reads a topic of the given cluster from the start until at least {@code expected}
	 * records arrived.
	 */
	static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic, int expected,
			Duration timeout) {
		return TopicReader.read(bootstrapServers, topic, expected, timeout);
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
	}

}
