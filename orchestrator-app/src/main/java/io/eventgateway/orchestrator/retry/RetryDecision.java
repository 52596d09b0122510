package io.eventgateway.orchestrator.retry;

import java.time.Duration;

/**
 * The next step for a failed event.
 *
 * @param level the retry level to go to; 0 when dead-lettered
 * @param delay how long to wait before serving it again; zero when dead-lettered
 */
public record RetryDecision(int level, Duration delay) {

	private static final RetryDecision DEAD_LETTER = new RetryDecision(0, Duration.ZERO);

	/** Retry at the given level after the delay. */
	public static RetryDecision retry(int level, Duration delay) {
		return new RetryDecision(level, delay);
	}

	/** No retries left. */
	public static RetryDecision deadLetter() {
		return DEAD_LETTER;
	}

	/** Whether the event goes to the dead-letter topic. */
	public boolean isDeadLetter() {
		return this.level == 0;
	}

}
