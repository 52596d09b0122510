package io.eventgateway.orchestrator.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Records a poll returned that were not handed on yet, because the source's per-poll
 * limit (a hot setting below the consumer's {@code max.poll.records}) was reached: they
 * are handed on by the next iterations instead of being fetched again. At most one poll's
 * records wait here.
 *
 * <p>
 * Not thread-safe: used by the source's consumer thread only.
 */
final class PendingRecords {

	private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();

	private int size;

	/** Adds a poll's records, in their order within each partition. */
	void add(ConsumerRecords<String, byte[]> records) {
		for (TopicPartition partition : records.partitions()) {
			List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
			this.byPartition.computeIfAbsent(partition, (key) -> new ArrayDeque<>()).addAll(partitionRecords);
			this.size += partitionRecords.size();
		}
	}

	/**
	 * Takes up to {@code limit} records, partition after partition, each partition's in
	 * offset order.
	 */
	List<ConsumerRecord<String, byte[]>> take(int limit) {
		List<ConsumerRecord<String, byte[]>> taken = new ArrayList<>(Math.min(limit, this.size));
		Iterator<ArrayDeque<ConsumerRecord<String, byte[]>>> partitions = this.byPartition.values().iterator();
		while (taken.size() < limit && partitions.hasNext()) {
			ArrayDeque<ConsumerRecord<String, byte[]>> queue = partitions.next();
			while (taken.size() < limit && !queue.isEmpty()) {
				taken.add(queue.poll());
			}
			if (queue.isEmpty()) {
				partitions.remove();
			}
		}
		this.size -= taken.size();
		return taken;
	}

	/**
	 * Drops what waits for the partitions (held, revoked or read again): the consumer
	 * fetches them again from where it is told to.
	 */
	void drop(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			ArrayDeque<ConsumerRecord<String, byte[]>> dropped = this.byPartition.remove(partition);
			if (dropped != null) {
				this.size -= dropped.size();
			}
		}
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	int size() {
		return this.size;
	}

}
