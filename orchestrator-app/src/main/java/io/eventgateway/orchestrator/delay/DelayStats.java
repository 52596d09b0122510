package io.eventgateway.orchestrator.delay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the delay forwarder has done since start, for meters: records forwarded per
 * outcome, failed writes, partitions held now and the earliest due time among their head
 * records. Outlives a restart of the forwarder's loop.
 *
 * <p>
 * Thread-safe: written by the forwarder's thread and the producer's, read by meters.
 */
public final class DelayStats {

	private final Map<DelayOutcome, AtomicLong> forwarded = new EnumMap<>(DelayOutcome.class);

	private final AtomicLong writeFailures = new AtomicLong();

	private volatile int heldPartitions;

	private volatile long earliestHeldDue = Long.MAX_VALUE;

	public DelayStats() {
		for (DelayOutcome outcome : DelayOutcome.values()) {
			this.forwarded.put(outcome, new AtomicLong());
		}
	}

	/** A record's write with this outcome was acknowledged. */
	void forwarded(DelayOutcome outcome) {
		this.forwarded.get(outcome).incrementAndGet();
	}

	/** A write failed; its partition is read again from its record. */
	void writeFailed() {
		this.writeFailures.incrementAndGet();
	}

	/**
	 * Partitions held now, waiting for their head record, and the earliest due time among
	 * those records (epoch millis; {@link Long#MAX_VALUE} when none).
	 */
	void held(int partitions, long earliestDue) {
		this.heldPartitions = partitions;
		this.earliestHeldDue = earliestDue;
	}

	/** Records written with this outcome since start. */
	public long forwardedCount(DelayOutcome outcome) {
		return this.forwarded.get(outcome).get();
	}

	/** Failed writes since start. */
	public long writeFailures() {
		return this.writeFailures.get();
	}

	/** Partitions held now. */
	public int heldPartitions() {
		return this.heldPartitions;
	}

	/**
	 * How far the most overdue held head record is past its due time, in seconds; 0 when
	 * none is overdue. A hold ends by its record's due time, so this grows only while the
	 * forwarder does not get back to a held partition (its loop stuck or stopped).
	 * @param now the time, epoch millis
	 */
	public double overdueSeconds(long now) {
		long earliest = this.earliestHeldDue;
		return (earliest < now) ? (now - earliest) / 1000.0 : 0;
	}

}
