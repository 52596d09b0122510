package io.eventgateway.orchestrator.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Records a poll returned that were not handed on yet: beyond the source's per-poll limit
 * (a hot setting below the consumer's {@code max.poll.records}), behind a retry record
 * that is not due yet (its partition is held), or of an iteration that failed. They are
 * handed on by later iterations instead of being fetched again: the consumer's position
 * never moves back, so no record is fetched (and decompressed) twice. A partition with
 * records here is paused, so at most one poll's records of each partition wait here.
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
	 * Puts records taken earlier back in front of what waits for their partitions, in
	 * their order: the next take returns them first.
	 */
	void putBack(List<ConsumerRecord<String, byte[]>> records) {
		for (int i = records.size() - 1; i >= 0; i--) {
			ConsumerRecord<String, byte[]> record = records.get(i);
			this.byPartition
				.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), (key) -> new ArrayDeque<>())
				.addFirst(record);
		}
		this.size += records.size();
	}

	/**
	 * Takes up to {@code limit} records, partition after partition, each partition's in
	 * offset order, leaving those of the held partitions where they are.
	 */
	List<ConsumerRecord<String, byte[]>> take(int limit, Set<TopicPartition> held) {
		List<ConsumerRecord<String, byte[]>> taken = new ArrayList<>(Math.min(limit, this.size));
		Iterator<Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>>> partitions = this.byPartition
			.entrySet()
			.iterator();
		while (taken.size() < limit && partitions.hasNext()) {
			Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> entry = partitions.next();
			if (held.contains(entry.getKey())) {
				continue;
			}
			ArrayDeque<ConsumerRecord<String, byte[]>> queue = entry.getValue();
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
	 * Whether records wait for a partition that is not held: the next take returns some.
	 */
	boolean hasTakeable(Set<TopicPartition> held) {
		if (this.size == 0) {
			return false;
		}
		if (held.isEmpty()) {
			return true;
		}
		for (TopicPartition partition : this.byPartition.keySet()) {
			if (!held.contains(partition)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Drops what waits for partitions this source no longer owns: their new owner fetches
	 * them from the last commit.
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
