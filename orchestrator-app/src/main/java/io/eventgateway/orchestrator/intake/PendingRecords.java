package io.eventgateway.orchestrator.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Records a poll returned that were not handed on yet: beyond the source's per-poll limit
 * (a hot setting below the consumer's {@code max.poll.records}), behind a retry record
 * that is not due yet (its partition is held), or of an iteration that failed. They are
 * handed on by later iterations instead of being fetched again: the consumer's position
 * never moves back, so no record is fetched (and decompressed) twice. A partition with
 * records here is paused, so at most one poll's records of each partition wait here.
 *
 * <p>
 * What waits here is heap the memory gates must see (a held retry partition may pin a
 * whole fetch for its level's delay): every change of the bytes waiting is reported, so
 * that they are charged from the poll that returned them until they are handed on or
 * dropped.
 *
 * <p>
 * Not thread-safe: used by the source's consumer thread only.
 */
final class PendingRecords {

	/**
	 * Heap a waiting record costs beyond its key, value and headers: the record object,
	 * its headers list, the key's string object and its slot in the queue.
	 */
	static final long RECORD_OVERHEAD_BYTES = 256;

	/** Heap one header costs beyond its key and value. */
	static final long HEADER_OVERHEAD_BYTES = 48;

	private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();

	private final LongConsumer bytesChanged;

	private int size;

	private long bytes;

	/**
	 * @param bytesChanged told how many bytes started waiting (positive) or stopped
	 * waiting (negative), once per change
	 */
	PendingRecords(LongConsumer bytesChanged) {
		this.bytesChanged = bytesChanged;
	}

	/**
	 * Adds a poll's records, in their order within each partition.
	 * @return the bytes they are charged with
	 */
	long add(ConsumerRecords<String, byte[]> records) {
		long added = 0;
		for (TopicPartition partition : records.partitions()) {
			List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
			this.byPartition.computeIfAbsent(partition, (key) -> new ArrayDeque<>()).addAll(partitionRecords);
			this.size += partitionRecords.size();
			added += bytesOf(partitionRecords);
		}
		changeBytes(added);
		return added;
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
		changeBytes(bytesOf(records));
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
		changeBytes(-bytesOf(taken));
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
		long dropped = 0;
		for (TopicPartition partition : partitions) {
			ArrayDeque<ConsumerRecord<String, byte[]>> records = this.byPartition.remove(partition);
			if (records != null) {
				this.size -= records.size();
				dropped += bytesOf(records);
			}
		}
		changeBytes(-dropped);
	}

	/** Drops everything: the source has stopped. */
	void clear() {
		drop(List.copyOf(this.byPartition.keySet()));
	}

	boolean isEmpty() {
		return this.size == 0;
	}

	int size() {
		return this.size;
	}

	/** The bytes waiting here, as charged. */
	long bytes() {
		return this.bytes;
	}

	private void changeBytes(long delta) {
		if (delta != 0) {
			this.bytes += delta;
			this.bytesChanged.accept(delta);
		}
	}

	private static long bytesOf(Collection<ConsumerRecord<String, byte[]>> records) {
		long total = 0;
		for (ConsumerRecord<String, byte[]> record : records) {
			total += bytesOf(record);
		}
		return total;
	}

	/** What a waiting record costs in heap, as charged to its source. */
	static long bytesOf(ConsumerRecord<String, byte[]> record) {
		long bytes = RECORD_OVERHEAD_BYTES;
		if (record.key() != null) {
			bytes += record.key().length();
		}
		if (record.value() != null) {
			bytes += record.value().length;
		}
		for (Header header : record.headers()) {
			bytes += HEADER_OVERHEAD_BYTES + header.key().length();
			if (header.value() != null) {
				bytes += header.value().length;
			}
		}
		return bytes;
	}

}
