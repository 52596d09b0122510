package io.eventgateway.ingest.flow;

import java.util.function.LongSupplier;

/**
 * Admission control for P10 events (AIMD): holds the rate at which this instance lets P10
 * events into the P10 topic. Orchestrators signal DECREASE when P10 is at risk (the rate
 * is multiplied by beta) and INCREASE while healthy (alpha is added), always within
 * [floor, ceiling]. P10 events over the rate are not refused: they go to the offload
 * topic, which the orchestrator drains when it has room.
 *
 * <p>
 * The rate is enforced by a token bucket holding at most one second of events.
 * Thread-safe.
 */
public class SloService {

	private static final double NANOS_PER_SECOND = 1_000_000_000d;

	private final LongSupplier nanoTime;

	private AimdSettings settings;

	private double rate;

	private double tokens;

	private long refilledAt;

	private long decreases;

	private long increases;

	/**
	 * @param settings the AIMD arithmetic
	 * @param nanoTime a monotonic clock, {@code System::nanoTime} outside tests
	 */
	public SloService(AimdSettings settings, LongSupplier nanoTime) {
		this.settings = settings;
		this.nanoTime = nanoTime;
		this.rate = settings.initialRate();
		this.tokens = this.rate;
		this.refilledAt = nanoTime.getAsLong();
	}

	/** Whether one more P10 event may enter the P10 topic now; takes its token if so. */
	public synchronized boolean tryAdmitP10() {
		refill();
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		return false;
	}

	/** Applies a DECREASE signal. */
	public synchronized void decrease() {
		refill();
		this.rate = Math.max(this.settings.floor(), this.rate * this.settings.beta());
		this.tokens = Math.min(this.tokens, this.rate);
		this.decreases++;
	}

	/** Applies an INCREASE signal. */
	public synchronized void increase() {
		refill();
		this.rate = Math.min(this.settings.ceiling(), this.rate + this.settings.alpha());
		this.increases++;
	}

	/** Puts new arithmetic in force; the current rate is kept within the new bounds. */
	public synchronized void update(AimdSettings next) {
		refill();
		this.settings = next;
		this.rate = Math.min(next.ceiling(), Math.max(next.floor(), this.rate));
		this.tokens = Math.min(this.tokens, this.rate);
	}

	/** The P10 admission rate in force, in events per second. */
	public synchronized double rate() {
		return this.rate;
	}

	/** DECREASE signals applied since start. */
	public synchronized long decreases() {
		return this.decreases;
	}

	/** INCREASE signals applied since start. */
	public synchronized long increases() {
		return this.increases;
	}

	private void refill() {
		long now = this.nanoTime.getAsLong();
		long elapsed = now - this.refilledAt;
		if (elapsed > 0) {
			this.tokens = Math.min(this.rate, this.tokens + this.rate * (elapsed / NANOS_PER_SECOND));
			this.refilledAt = now;
		}
	}

}
