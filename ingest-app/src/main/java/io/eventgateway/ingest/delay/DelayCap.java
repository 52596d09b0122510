package io.eventgateway.ingest.delay;

import java.time.Duration;
import java.time.Instant;

/**
 * When an event is due: the later of its rule's delay and its own {@code not_before}, but
 * never more than {@code max} after it was accepted, so that no delayed event waits
 * longer than Kafka keeps the records it waits on. A delayed event is stored at once and
 * waits on the delay topics, not in ingest: the cap bounds how long, not how many.
 *
 * @param max the longest delay an event may have; positive
 */
public record DelayCap(Duration max) {

	public DelayCap {
		if (max.isNegative() || max.isZero()) {
			throw new IllegalArgumentException("the longest delay must be positive, was " + max);
		}
	}

	/**
	 * When an event accepted at {@code now} is due; {@code now} itself when it asks for
	 * no delay or for a time already past.
	 * @param ruleDelay the delay its classification rule asks for; zero for none
	 * @param notBefore the event's own earliest time, or {@code null}
	 */
	public Instant dueAt(Instant now, Duration ruleDelay, Instant notBefore) {
		Instant due = now.plus(ruleDelay);
		if (notBefore != null && notBefore.isAfter(due)) {
			due = notBefore;
		}
		Instant latest = now.plus(this.max);
		return due.isAfter(latest) ? latest : due;
	}

}
