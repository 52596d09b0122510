package io.eventgateway.orchestrator.retry;

import java.time.Duration;

/**
 * Where a failed event goes next: retry level k waits
 * {@code baseDelay × multiplier^(k-1)}, and after the last level the event is
 * dead-lettered.
 *
 * @param levels how many retry levels there are (0: failures go straight to the
 * dead-letter topic)
 * @param baseDelay the delay of level 1
 * @param multiplier how much longer each next level waits
 */
public record RetryPolicy(int levels, Duration baseDelay, double multiplier) {

	public RetryPolicy {
		if (levels < 0) {
			throw new IllegalArgumentException("retry levels must not be negative, was " + levels);
		}
		if (baseDelay.isNegative()) {
			throw new IllegalArgumentException("retry base delay must not be negative, was " + baseDelay);
		}
		if (!(multiplier >= 1.0)) {
			throw new IllegalArgumentException("retry multiplier must be at least 1, was " + multiplier);
		}
	}

	/**
	 * How long records of retry level {@code level} wait before they are served again.
	 * @param level from 1 to {@link #levels()}
	 */
	public Duration delayOf(int level) {
		if (level < 1 || level > this.levels) {
			throw new IllegalArgumentException("retry level " + level + " is outside [1, " + this.levels + "]");
		}
		return decide(level).delay();
	}

	/**
	 * The next step for an event that has now failed {@code failedAttempts} times (1
	 * after its first failure).
	 */
	public RetryDecision decide(int failedAttempts) {
		if (failedAttempts < 1) {
			throw new IllegalArgumentException("failed attempts must be at least 1, was " + failedAttempts);
		}
		if (failedAttempts > this.levels) {
			return RetryDecision.deadLetter();
		}
		double millis = this.baseDelay.toMillis() * Math.pow(this.multiplier, failedAttempts - 1);
		return RetryDecision.retry(failedAttempts, Duration.ofMillis(Math.round(millis)));
	}

}
