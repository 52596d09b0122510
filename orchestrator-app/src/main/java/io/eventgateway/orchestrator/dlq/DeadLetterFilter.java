package io.eventgateway.orchestrator.dlq;

import java.time.Instant;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Which dead letters an operator means; every criterion left {@code null} matches
 * everything. Text criteria ignore case.
 *
 * @param eventType the event type, exactly
 * @param companyId the company id, exactly
 * @param errorContains a substring of the error header
 * @param since dead-lettered at or after
 * @param until dead-lettered before
 * @param limit how many letters at most, the oldest first; from 1 to {@link #MAX_LIMIT}
 */
public record DeadLetterFilter(@Nullable String eventType, @Nullable String companyId, @Nullable String errorContains,
		@Nullable Instant since, @Nullable Instant until, int limit) {

	/** The limit when none is given. */
	public static final int DEFAULT_LIMIT = 100;

	/**
	 * The most letters one call selects: what a call holds in memory (a redrive holds
	 * their events too) stays bounded however large the topic.
	 */
	public static final int MAX_LIMIT = 1000;

	public DeadLetterFilter {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
		}
		if (since != null && until != null && !since.isBefore(until)) {
			throw new IllegalArgumentException("since (" + since + ") must be before until (" + until + ")");
		}
	}

	/** Every dead letter, up to the default limit. */
	public static DeadLetterFilter all() {
		return new DeadLetterFilter(null, null, null, null, null, DEFAULT_LIMIT);
	}

	/** Whether the letter meets every criterion (the limit aside). */
	public boolean matches(DeadLetter letter) {
		return equalsIgnoringCase(this.eventType, letter.eventType())
				&& equalsIgnoringCase(this.companyId, letter.companyId()) && errorMatches(letter.error())
				&& (this.since == null || !letter.deadLetteredAt().isBefore(this.since))
				&& (this.until == null || letter.deadLetteredAt().isBefore(this.until));
	}

	private boolean errorMatches(@Nullable String error) {
		if (this.errorContains == null) {
			return true;
		}
		return error != null && error.toLowerCase(Locale.ROOT).contains(this.errorContains.toLowerCase(Locale.ROOT));
	}

	private static boolean equalsIgnoringCase(@Nullable String wanted, @Nullable String actual) {
		return wanted == null || wanted.equalsIgnoreCase(actual);
	}

}
