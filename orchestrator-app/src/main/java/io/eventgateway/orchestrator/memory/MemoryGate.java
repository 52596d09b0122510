package io.eventgateway.orchestrator.memory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Whether a source may read more, by memory: it closes when the bytes it is charged with
 * rise above its threshold (a percentage of the maximum heap), less what its next poll is
 * expected to bring, and opens again only once they fall below the threshold minus a
 * hysteresis margin, so a source near its limit does not flap.
 *
 * <p>
 * A poll's records are all charged once it returns, and a poll of compressed batches
 * (P10's zstd, P20's lz4) decompresses to several times the fetch size: a gate that
 * closed only once the threshold was crossed let the last poll overshoot it by that much.
 * The next poll is expected to be as large as the largest of the source's last
 * {@value #READS_REMEMBERED} polls that returned records within {@link #READ_MEMORY}, and
 * the gate closes that much below its threshold, but never more than half the hysteresis
 * below it: the gate keeps a band of at least half the hysteresis between closing and
 * opening, so it cannot flap on a remembered poll, and a source whose bytes are below the
 * threshold minus half the hysteresis never closes, however large its polls were.
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

	/**
	 * Polls whose size is remembered: the next one is expected as large as the largest.
	 */
	static final int READS_REMEMBERED = 16;

	/**
	 * How long a poll's size is remembered: long enough for a burst's pause and resume
	 * cycles, short enough that a burst long gone does not keep the gate low.
	 */
	static final Duration READ_MEMORY = Duration.ofMinutes(1);

	private static final long READ_MEMORY_NANOS = READ_MEMORY.toNanos();

	private final LongSupplier heldBytes;

	private final long maxHeapBytes;

	private final DoubleSupplier thresholdPercent;

	private final DoubleSupplier hysteresisPercent;

	private final AtomicLong pauses = new AtomicLong();

	private final AtomicLong resumes = new AtomicLong();

	private volatile boolean closed;

	private final LongSupplier nanoTime;

	private final long[] recentReads = new long[READS_REMEMBERED];

	private final long[] recentReadsAt = new long[READS_REMEMBERED];

	private int nextRead;

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
		this(heldBytes, maxHeapBytes, thresholdPercent, hysteresisPercent, System::nanoTime);
	}

	/**
	 * {@link #MemoryGate(LongSupplier, long, DoubleSupplier, DoubleSupplier)} on the
	 * given monotonic clock (nanoseconds).
	 */
	MemoryGate(LongSupplier heldBytes, long maxHeapBytes, DoubleSupplier thresholdPercent,
			DoubleSupplier hysteresisPercent, LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
		this.heldBytes = heldBytes;
		this.maxHeapBytes = maxHeapBytes;
		this.thresholdPercent = thresholdPercent;
		this.hysteresisPercent = hysteresisPercent;
	}

	/**
	 * A poll of the source returned records. From the source's consumer thread only.
	 * @param bytes what they are charged with
	 */
	public void read(long bytes) {
		this.recentReads[this.nextRead] = bytes;
		this.recentReadsAt[this.nextRead] = this.nanoTime.getAsLong();
		this.nextRead = (this.nextRead + 1) % READS_REMEMBERED;
	}

	/**
	 * Re-evaluates the gate and returns whether the source may read. From the source's
	 * consumer thread only.
	 */
	public boolean check() {
		double heldPercent = 100.0 * this.heldBytes.getAsLong() / this.maxHeapBytes;
		double threshold = this.thresholdPercent.getAsDouble();
		double reopenBelow = reopenBelow(threshold);
		double ahead = Math.min(100.0 * expectedRead() / this.maxHeapBytes, (threshold - reopenBelow) / 2);
		if (!this.closed && heldPercent > threshold - ahead) {
			this.closed = true;
			this.pauses.incrementAndGet();
		}
		else if (this.closed && heldPercent < reopenBelow) {
			this.closed = false;
			this.resumes.incrementAndGet();
		}
		return !this.closed;
	}

	/**
	 * What the next poll is expected to bring: the largest of the recent ones, or zero
	 * when none is recent.
	 */
	private long expectedRead() {
		long now = this.nanoTime.getAsLong();
		long largest = 0;
		for (int i = 0; i < READS_REMEMBERED; i++) {
			if (now - this.recentReadsAt[i] <= READ_MEMORY_NANOS) {
				largest = Math.max(largest, this.recentReads[i]);
			}
		}
		return largest;
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
