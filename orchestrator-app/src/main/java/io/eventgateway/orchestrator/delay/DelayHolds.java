package io.eventgateway.orchestrator.delay;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.eventgateway.common.kafka.GatewayHeaders;

/**
 * Which delay-topic partitions wait for their head record's hold to end. Records of a
 * tier are due in the order they were written, so a record not due yet holds its
 * partition (paused, its position set back to the record) until it is.
 *
 * <p>
 * A hold never lasts longer than the record's tier, measured from the record's timestamp
 * and from the moment the hold began: a garbage or far-future {@code gateway-not-before},
 * or a timestamp in the future, costs its partition at most one tier. A record whose hold
 * ended is forwarded when read again, whatever its header says (to the next tier when it
 * is not due yet). The same rule as the retry topics' holds.
 *
 * <p>
 * Not thread-safe: used by the forwarder's consumer thread only.
 */
final class DelayHolds {

	private final ToLongFunction<String> maxHoldMillis;

	private final Map<TopicPartition, Hold> holds = new HashMap<>();

	/** Per partition, the offset whose hold ended: it is forwarded when read again. */
	private final Map<TopicPartition, Long> ended = new HashMap<>();

	/**
	 * @param maxHoldMillis the longest a record of a topic may hold its partition (its
	 * tier), in milliseconds; 0 for a topic whose records are never held
	 */
	DelayHolds(ToLongFunction<String> maxHoldMillis) {
		this.maxHoldMillis = maxHoldMillis;
	}

	/**
	 * Whether the record must wait; if so, its partition is held from now on, until the
	 * record may be forwarded.
	 * @param record the record
	 * @param notBefore when the record may be forwarded at the earliest, epoch millis
	 * @param now the time, epoch millis
	 */
	boolean mustWait(ConsumerRecord<?, ?> record, long notBefore, long now) {
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
		long endsAt = Math.min(notBefore,
				Math.min(saturatedAdd(record.timestamp(), maxHold), saturatedAdd(now, maxHold)));
		if (endsAt <= now) {
			return false;
		}
		long due = GatewayHeaders.getLong(record.headers(), GatewayHeaders.DELAY_UNTIL, Long.MAX_VALUE);
		this.holds.put(partition, new Hold(record.offset(), endsAt, due));
		return true;
	}

	/** Ends the holds that are over, and returns the partitions still held. */
	Set<TopicPartition> held(long now) {
		this.holds.entrySet().removeIf((entry) -> {
			if (entry.getValue().endsAt() <= now) {
				this.ended.put(entry.getKey(), entry.getValue().offset());
				return true;
			}
			return false;
		});
		return this.holds.keySet();
	}

	/** When the next hold ends, epoch millis; empty while none is held. */
	OptionalLong nextEnd() {
		return this.holds.values().stream().mapToLong(Hold::endsAt).min();
	}

	/**
	 * The earliest due time ({@code gateway-delay-until}, epoch millis) among the held
	 * head records; {@link Long#MAX_VALUE} while none is held (or none has one). A hold
	 * ends by its record's due time, so one that is past means the partition is not read
	 * again on time.
	 */
	long earliestDue() {
		long earliest = Long.MAX_VALUE;
		for (Hold hold : this.holds.values()) {
			earliest = Math.min(earliest, hold.due());
		}
		return earliest;
	}

	/**
	 * Ends the partition's hold at once, without marking its record: the partition is
	 * read again from an earlier offset (a write before the held record failed).
	 */
	void release(TopicPartition partition) {
		this.holds.remove(partition);
	}

	/** Forgets partitions no longer owned. */
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

	private record Hold(long offset, long endsAt, long due) {
	}

}
