package io.eventgateway.orchestrator.memory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Whether a source may read more, by memory: it closes when the bytes it is charged with
 * rise above its threshold (a percentage of the maximum heap) and opens again only once
 * they fall below the threshold minus a hysteresis margin, so a source near its limit
 * does not flap.
 *
 * <p>
 * With a hysteresis at or above the threshold, the level to fall below would be zero or
 * less, which no amount of bytes reaches, and the source would stay paused for good. The
 * settings refuse such a pair ({@code OrchestratorProperties}); a gate given one all the
 * same opens again below half its threshold instead.
 *
 * <p>
 * Called from the source's consumer thread; the state is readable from any thread.
 */
public class MemoryGate {

	private final LongSupplier heldBytes;

	private final long maxHeapBytes;

	private final DoubleSupplier thresholdPercent;

	private final DoubleSupplier hysteresisPercent;

	private final AtomicLong pauses = new AtomicLong();

	private final AtomicLong resumes = new AtomicLong();

	private volatile boolean closed;

	/**
	 * @param heldBytes the bytes this source is charged with now
	 * @param maxHeapBytes the heap the percentages are of
	 * @param thresholdPercent above this percentage of the heap the gate closes (read
	 * each check, so it can change at runtime)
	 * @param hysteresisPercent the gate opens again below threshold minus this many
	 * percentage points; below the threshold, or the gate opens below half of it
	 */
	public MemoryGate(LongSupplier heldBytes, long maxHeapBytes, DoubleSupplier thresholdPercent,
			DoubleSupplier hysteresisPercent) {
		this.heldBytes = heldBytes;
		this.maxHeapBytes = maxHeapBytes;
		this.thresholdPercent = thresholdPercent;
		this.hysteresisPercent = hysteresisPercent;
	}

	/** Re-evaluates the gate and returns whether the source may read. */
	public boolean check() {
		double heldPercent = 100.0 * this.heldBytes.getAsLong() / this.maxHeapBytes;
		double threshold = this.thresholdPercent.getAsDouble();
		if (!this.closed && heldPercent > threshold) {
			this.closed = true;
			this.pauses.incrementAndGet();
		}
		else if (this.closed && heldPercent < reopenBelow(threshold)) {
			this.closed = false;
			this.resumes.incrementAndGet();
		}
		return !this.closed;
	}

	/**
	 * The share of the heap (percent) the held bytes must fall below to open the gate.
	 */
	private double reopenBelow(double threshold) {
		double reopen = threshold - this.hysteresisPercent.getAsDouble();
		// Zero or less is never reached: the source would stay paused for good.
		return (reopen > 0) ? reopen : threshold / 2;
	}

	/** Whether the gate is closed now (the source paused for memory). */
	public boolean isClosed() {
		return this.closed;
	}

	/** The threshold in bytes now. */
	public long thresholdBytes() {
		return (long) (this.maxHeapBytes * this.thresholdPercent.getAsDouble() / 100.0);
	}

	/** Times the gate closed since start. */
	public long pauseCount() {
		return this.pauses.get();
	}

	/** Times the gate opened again since start. */
	public long resumeCount() {
		return this.resumes.get();
	}

}
