package io.eventgateway.orchestrator.intake;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.eventgateway.common.kafka.GatewayHeaders;

/**
 * Which partitions of a source wait for their head retry record to be due. Retry records
 * of a partition are due in order, so a record not due yet holds its partition (the
 * partition is paused, and the record and those after it wait in {@link PendingRecords})
 * until it is.
 *
 * <p>
 * A hold never lasts longer than the record's retry level's delay, measured from the
 * record's timestamp and from the moment the hold began: a garbage or far-future
 * {@code not-before} header, or a timestamp in the future, costs its partition at most
 * one level's delay. A record whose hold ended is served when it is handed on again,
 * whatever its header says. Records of topics without a hold limit (the priority topics)
 * are never held.
 *
 * <p>
 * Not thread-safe: used by the source's consumer thread only.
 */
final class RetryHolds {

	private final ToLongFunction<String> maxHoldMillis;

	private final Map<TopicPartition, Hold> holds = new HashMap<>();

	/** Per partition, the offset whose hold ended: it is served when read again. */
	private final Map<TopicPartition, Long> ended = new HashMap<>();

	/**
	 * @param maxHoldMillis the longest a record of a topic may hold its partition, in
	 * milliseconds; 0 for topics whose records are never held
	 */
	RetryHolds(ToLongFunction<String> maxHoldMillis) {
		this.maxHoldMillis = maxHoldMillis;
	}

	/**
	 * Whether the record must wait; if so, its partition is held from now on, until the
	 * record is due.
	 */
	boolean mustWait(ConsumerRecord<?, ?> record, long now) {
		long notBefore = GatewayHeaders.getLong(record.headers(), GatewayHeaders.NOT_BEFORE, 0);
		if (notBefore <= now) {
			return false;
		}
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		Long endedOffset = this.ended.get(partition);
		if (endedOffset != null && endedOffset == record.offset()) {
			this.ended.remove(partition);
			return false;
		}
		long maxHold = this.maxHoldMillis.applyAsLong(record.topic());
		long dueAt = Math.min(notBefore,
				Math.min(saturatedAdd(record.timestamp(), maxHold), saturatedAdd(now, maxHold)));
		if (dueAt <= now) {
			return false;
		}
		this.holds.put(partition, new Hold(record.offset(), dueAt));
		return true;
	}

	/** Ends the holds that are due, and returns the partitions still held. */
	Set<TopicPartition> held(long now) {
		this.holds.entrySet().removeIf((entry) -> {
			if (entry.getValue().dueAt() <= now) {
				this.ended.put(entry.getKey(), entry.getValue().offset());
				return true;
			}
			return false;
		});
		return this.holds.keySet();
	}

	/** Forgets partitions this source no longer owns. */
	void forget(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			this.holds.remove(partition);
			this.ended.remove(partition);
		}
	}

	/** Partitions held now. */
	int size() {
		return this.holds.size();
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		// Overflow only when both have the same sign and the sum has the other.
		return (((a ^ sum) & (b ^ sum)) < 0) ? Long.MAX_VALUE : sum;
	}

	private record Hold(long offset, long dueAt) {
	}

}
