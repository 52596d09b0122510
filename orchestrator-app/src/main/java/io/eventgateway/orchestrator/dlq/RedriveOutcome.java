package io.eventgateway.orchestrator.dlq;

import org.jspecify.annotations.Nullable;

/**
 * What a redrive did, or in a dry run would do, with one dead letter.
 *
 * @param letter the letter
 * @param status what became of it
 * @param target the topic it goes to, or {@code null} when it has none
 * @param detail why, in words for an operator
 */
public record RedriveOutcome(DeadLetter letter, Status status, @Nullable String target, String detail) {

	/** What became of a letter. */
	public enum Status {

		/** Written to its target topic, and recorded as redriven. */
		REDRIVEN,

		/** A dry run: it would be redriven; nothing was written. */
		WOULD_REDRIVE,

		/** Redriven before (by this or another run): left alone. */
		ALREADY_REDRIVEN,

		/**
		 * Another selected letter of the same event, a newer one, is redriven instead.
		 */
		DUPLICATE,

		/** Not redriven, for the reason in the detail. */
		FAILED

	}

}
