package io.eventgateway.orchestrator.delay;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the delay forwarder has done since start, for meters: records forwarded per
 * outcome, failed writes, partitions held now. Outlives a restart of the forwarder's
 * loop.
 *
 * <p>
 * Thread-safe: written by the forwarder's thread and the producer's, read by meters.
 */
public final class DelayStats {

	private final Map<DelayOutcome, AtomicLong> forwarded = new EnumMap<>(DelayOutcome.class);

	private final AtomicLong writeFailures = new AtomicLong();

	private volatile int heldPartitions;

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

	/** Partitions held now, waiting for their head record. */
	void heldPartitions(int held) {
		this.heldPartitions = held;
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

}
