package io.eventgateway.client;

import java.time.Duration;

/**
 * Exponential back-off with full jitter: the n-th retry of an event (n = 1 after its
 * first attempt) waits a uniformly random time in
 * {@code [0, min(max, initial × multiplier^(n-1))]}. Full jitter spreads the retries of
 * many clients that failed together, so they do not return together.
 *
 * @param initial the cap of the first retry's wait
 * @param max the cap of every wait
 * @param multiplier how much the cap grows per retry
 */
record Backoff(Duration initial, Duration max, double multiplier) {

	/** The cap of the n-th retry's wait, in nanoseconds. */
	long capNanos(int retry) {
		double cap = this.initial.toNanos() * Math.pow(this.multiplier, Math.max(0, retry - 1));
		return (long) Math.min(cap, this.max.toNanos());
	}

	/**
	 * The wait before the n-th retry, in nanoseconds.
	 * @param retry the retry, from 1
	 * @param random a number in {@code [0, 1)}; 1 is accepted too and gives the cap
	 */
	long delayNanos(int retry, double random) {
		return (long) (Math.min(1.0, Math.max(0.0, random)) * capNanos(retry));
	}

}
