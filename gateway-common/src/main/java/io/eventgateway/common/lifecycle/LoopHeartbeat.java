package io.eventgateway.common.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * What one long-running loop reports about itself: progress after every successful
 * iteration, each failure (logged at ERROR and counted, followed by a growing back-off),
 * and its end.
 *
 * <p>
 * Written by the loop's thread (and, for {@link #stopRequested()}, by whoever stops it);
 * read by health and meters from any thread.
 */
public final class LoopHeartbeat {

	private static final Log logger = LogFactory.getLog(LoopHeartbeat.class);

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private final String name;

	private final Clock clock;

	private final Supplier<Duration> stallAfter;

	private final boolean judgedByTime;

	private final AtomicLong failures = new AtomicLong();

	private volatile Instant lastProgress;

	private volatile boolean started;

	private volatile boolean failing;

	private volatile boolean stopRequested;

	private volatile boolean ended;

	private volatile String lastError = "";

	private volatile Instant unresponsiveAt;

	private Duration backoff = FIRST_BACKOFF;

	LoopHeartbeat(String name, Clock clock, Supplier<Duration> stallAfter, boolean judgedByTime) {
		this.name = name;
		this.clock = clock;
		this.stallAfter = stallAfter;
		this.judgedByTime = judgedByTime;
		this.lastProgress = clock.instant();
	}

	/** The loop's name. */
	public String name() {
		return this.name;
	}

	/** The loop's thread started (again): it is alive and counts as having progressed. */
	public void started() {
		this.started = true;
		this.ended = false;
		this.stopRequested = false;
		this.failing = false;
		this.lastProgress = this.clock.instant();
	}

	/** One iteration completed; resets the back-off. */
	public void progressed() {
		this.lastProgress = this.clock.instant();
		this.unresponsiveAt = null;
		this.failing = false;
		this.backoff = FIRST_BACKOFF;
	}

	/**
	 * An iteration failed but completed: the loop is not stuck, only failing (for example
	 * a periodic task whose target is down, which a restart would not cure). Keeps it
	 * from counting as stalled without clearing its failing state or back-off.
	 */
	public void alive() {
		this.lastProgress = this.clock.instant();
	}

	/**
	 * One iteration failed: logs at ERROR with the loop's name, counts it, and returns
	 * how long to back off before the next iteration (doubling up to five seconds until
	 * the next progress).
	 */
	public Duration failed(Throwable failure) {
		this.failures.incrementAndGet();
		this.failing = true;
		this.lastError = failure.getClass().getSimpleName();
		logger.error("Loop " + this.name + " failed (failure " + this.failures.get() + "); it continues after "
				+ this.backoff.toMillis() + " ms", failure);
		Duration wait = this.backoff;
		Duration doubled = this.backoff.multipliedBy(2);
		this.backoff = (doubled.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : doubled;
		return wait;
	}

	/**
	 * Reports a failed iteration, as {@link #failed}, then sleeps its back-off.
	 * @return false when interrupted while backing off (the loop should end)
	 */
	public boolean failedAndBackOff(Throwable failure) {
		Duration wait = failed(failure);
		try {
			// Deliberate: a pause before trying again something that just failed.
			Thread.sleep(wait.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Someone watching the loop from outside (a listener container's monitor) found it
	 * not polling: it counts as stalled for one stall limit from now, unless it reports
	 * progress first.
	 */
	public void unresponsive() {
		this.unresponsiveAt = this.clock.instant();
	}

	/** Someone asked the loop to stop: its end is expected from now on. */
	public void stopRequested() {
		this.stopRequested = true;
	}

	/**
	 * The loop's thread ended; unless a stop was requested the loop is dead, which is
	 * logged at ERROR.
	 * @param cause what ended it, or {@code null} when it returned
	 */
	public void ended(Throwable cause) {
		this.ended = true;
		if (!this.stopRequested) {
			if (cause != null) {
				this.failures.incrementAndGet();
				this.lastError = cause.getClass().getSimpleName();
				logger.error("Loop " + this.name + " died; liveness is DOWN until the process restarts", cause);
			}
			else {
				logger.error("Loop " + this.name + " ended without being asked to; liveness is DOWN");
			}
		}
	}

	/** How the loop fares now. */
	public LoopState state() {
		if (this.ended) {
			return this.stopRequested ? LoopState.STOPPED : LoopState.DEAD;
		}
		if (!this.started) {
			return LoopState.STARTING;
		}
		if (this.stopRequested) {
			return LoopState.STOPPED;
		}
		Duration stallAfter = this.stallAfter.get();
		Instant unresponsive = this.unresponsiveAt;
		if ((this.judgedByTime && sinceProgress().compareTo(stallAfter) > 0) || (unresponsive != null
				&& Duration.between(unresponsive, this.clock.instant()).compareTo(stallAfter) <= 0)) {
			return LoopState.STALLED;
		}
		return this.failing ? LoopState.FAILING : LoopState.RUNNING;
	}

	/** Time since the last progress (or start). */
	public Duration sinceProgress() {
		return Duration.between(this.lastProgress, this.clock.instant());
	}

	/** The stall limit in force. */
	public Duration stallAfter() {
		return this.stallAfter.get();
	}

	/** Failed iterations since start, including a death. */
	public long failures() {
		return this.failures.get();
	}

	/**
	 * The type of the last failure, empty when none; never its message (it may hold
	 * data).
	 */
	public String lastError() {
		return this.lastError;
	}

}
