package io.eventgateway.publisher.failure;

/**
 * A record on the failed-writes topic that can never be republished, however often it is
 * tried: it is parked instead, so that it costs only itself.
 */
public class UnusableRecordException extends RuntimeException {

	private final Reason reason;

	/**
	 * @param reason what is wrong with the record
	 * @param detail a human-readable explanation, for logs and the parking header
	 */
	public UnusableRecordException(Reason reason, String detail) {
		super(reason + ": " + detail);
		this.reason = reason;
	}

	/** What is wrong with the record. */
	public Reason reason() {
		return this.reason;
	}

	/** Why a failed-writes record cannot be republished; a low-cardinality meter tag. */
	public enum Reason {

		/** A null value: a tombstone, which the gateway never writes. */
		TOMBSTONE,

		/** A value of zero bytes. */
		EMPTY_VALUE,

		/**
		 * A value that is not an {@code Event}, or an event without an id or priority.
		 */
		NOT_AN_EVENT,

		/**
		 * No (or a blank) {@code gateway-intended-topic} header: nowhere to republish to.
		 */
		MISSING_INTENDED_TOPIC,

		/** An intended topic the publisher never writes to. */
		UNKNOWN_INTENDED_TOPIC

	}

}
