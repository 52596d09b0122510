package io.eventgateway.client;

/**
 * What an answer of ingest means for one event of the batch it carried.
 *
 * @param kind what to do with the event
 * @param priority the priority ingest gave it, when accepted
 * @param field the field ingest found wrong, relative to the event, when invalid
 * @param message why it was not accepted
 */
record Verdict(Kind kind, String priority, String field, String message) {

	static Verdict accepted(String priority) {
		return new Verdict(Kind.ACCEPTED, priority, null, null);
	}

	static Verdict of(Kind kind, String message) {
		return new Verdict(kind, null, null, message);
	}

	/** What to do with an event. */
	enum Kind {

		/** Complete it as accepted. */
		ACCEPTED,

		/** Complete it as invalid; a retry fails the same way. */
		INVALID,

		/** Send it again after a back-off, while attempts and its deadline allow. */
		RETRY,

		/**
		 * Send it again at once: ingest refused its batch for another event, before
		 * looking at this one.
		 */
		RESEND,

		/** Complete it as failed; a retry cannot help. */
		FAILED,

		/** Fail it with {@link GatewayAuthenticationException}. */
		UNAUTHENTICATED,

		/** Fail it with {@link GatewayPermissionException}. */
		PERMISSION_DENIED

	}

}
