package io.eventgateway.ingest.quota;

/**
 * How many events a company may send before its events are demoted: a token bucket that
 * refills at {@code eventsPerSecond} and holds at most {@code burst} tokens.
 *
 * @param eventsPerSecond the sustained rate
 * @param burst the most events sent at once after a quiet period
 */
public record Quota(long eventsPerSecond, long burst) {

	public Quota {
		if (eventsPerSecond < 1) {
			throw new IllegalArgumentException("events-per-second must be at least 1, was " + eventsPerSecond);
		}
		if (burst < 1) {
			throw new IllegalArgumentException("burst must be at least 1, was " + burst);
		}
	}

}
