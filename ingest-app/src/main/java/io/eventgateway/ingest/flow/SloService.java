package io.eventgateway.ingest.flow;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Admission control for P10 events (AIMD): holds the rate at which this instance lets P10
 * events into the P10 topic. Orchestrators signal DECREASE when P10 is at risk (the rate
 * is multiplied by beta) and INCREASE while healthy (alpha is added), always within
 * [floor, ceiling]. P10 events over the rate are not refused: they go to the offload
 * topic, which the orchestrator drains when it has room.
 *
 * <p>
 * The rate is enforced by a token bucket holding at most one second of events, kept as
 * the time at which the bucket would be full again (the generic cell rate algorithm):
 * admitting an event moves that time one interval (a second divided by the rate) later,
 * and an event is admitted while that time is at most a second ahead. So admission is one
 * compare-and-set on a long, with no lock: it is called for every P10 event of every
 * request thread.
 *
 * <p>
 * Thread-safe. {@link #tryAdmitP10()} is lock-free; signals and settings changes (a few
 * per second at most, from the flow-control listener and refreshes) serialize on this
 * object. An admission racing a signal may be charged at the interval the signal just
 * replaced: one event's worth of slack, once per signal.
 */
public class SloService {

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	/** The bucket holds one second of events. */
	private static final long BURST_NANOS = NANOS_PER_SECOND;

	private final LongSupplier nanoTime;

	/**
	 * When the bucket is full again, on {@link #nanoTime}'s scale: a second ahead of now
	 * when empty, now or earlier when full.
	 */
	private final AtomicLong fullAt;

	private AimdSettings settings;

	private volatile double rate;

	/** Nanoseconds one admitted event costs: a second divided by the rate. */
	private volatile long intervalNanos;

	private volatile long decreases;

	private volatile long increases;

	/**
	 * @param settings the AIMD arithmetic
	 * @param nanoTime a monotonic clock, {@code System::nanoTime} outside tests
	 */
	public SloService(AimdSettings settings, LongSupplier nanoTime) {
		this.settings = settings;
		this.nanoTime = nanoTime;
		this.rate = settings.initialRate();
		this.intervalNanos = interval(this.rate);
		// The bucket starts full: one second of events.
		this.fullAt = new AtomicLong(nanoTime.getAsLong());
	}

	/** Whether one more P10 event may enter the P10 topic now; takes its token if so. */
	public boolean tryAdmitP10() {
		while (true) {
			long fullAt = this.fullAt.get();
			long interval = this.intervalNanos;
			long now = this.nanoTime.getAsLong();
			// Differences, not comparisons, so that nanoTime's wrap-around is harmless.
			long next = ((fullAt - now) < 0) ? now + interval : fullAt + interval;
			if (next - now > BURST_NANOS) {
				return false;
			}
			if (this.fullAt.compareAndSet(fullAt, next)) {
				return true;
			}
		}
	}

	/** Applies a DECREASE signal. */
	public synchronized void decrease() {
		changeRate(Math.max(this.settings.floor(), this.rate * this.settings.beta()));
		this.decreases++;
	}

	/** Applies an INCREASE signal. */
	public synchronized void increase() {
		changeRate(Math.min(this.settings.ceiling(), this.rate + this.settings.alpha()));
		this.increases++;
	}

	/** Puts new arithmetic in force; the current rate is kept within the new bounds. */
	public synchronized void update(AimdSettings next) {
		this.settings = next;
		changeRate(Math.min(next.ceiling(), Math.max(next.floor(), this.rate)));
	}

	/** The P10 admission rate in force, in events per second. */
	public double rate() {
		return this.rate;
	}

	/** DECREASE signals applied since start. */
	public long decreases() {
		return this.decreases;
	}

	/** INCREASE signals applied since start. */
	public long increases() {
		return this.increases;
	}

	/**
	 * Puts a new rate in force, keeping the tokens left (at most the new rate's second of
	 * events), so that a DECREASE takes effect at once. Called under this object's lock.
	 */
	private void changeRate(double next) {
		long nextInterval = interval(next);
		while (true) {
			long fullAt = this.fullAt.get();
			long now = this.nanoTime.getAsLong();
			long owed = Math.max(0, fullAt - now);
			double tokens = Math.min((BURST_NANOS - owed) / (double) this.intervalNanos, next);
			long nextFullAt = now + BURST_NANOS - Math.round(Math.max(0, tokens) * nextInterval);
			if (this.fullAt.compareAndSet(fullAt, nextFullAt)) {
				break;
			}
		}
		this.intervalNanos = nextInterval;
		this.rate = next;
	}

	private static long interval(double rate) {
		return Math.max(1, Math.round(NANOS_PER_SECOND / rate));
	}

}
