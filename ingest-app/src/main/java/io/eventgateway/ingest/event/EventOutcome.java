package io.eventgateway.ingest.event;

import java.util.List;

import io.eventgateway.common.event.Priority;

/**
 * What happened to one event of a batch.
 *
 * @param index position in the request
 * @param eventId the id, as sent or generated; {@code null} when rejected before one was
 * set
 * @param status accepted, or why not
 * @param priority the priority it was classified to; {@code null} unless accepted
 * @param errors why it was not accepted; empty when accepted
 */
public record EventOutcome(int index, String eventId, Status status, Priority priority, List<FieldError> errors) {

	/** An accepted event. */
	public static EventOutcome accepted(int index, String eventId, Priority priority) {
		return new EventOutcome(index, eventId, Status.ACCEPTED, priority, List.of());
	}

	/**
	 * An event rejected for what the client sent; sending it again unchanged fails again.
	 */
	public static EventOutcome invalid(int index, String eventId, List<FieldError> errors) {
		return new EventOutcome(index, eventId, Status.INVALID, null, List.copyOf(errors));
	}

	/** A valid event the gateway could not store; the client may send it again. */
	public static EventOutcome failed(int index, String eventId, String error) {
		return new EventOutcome(index, eventId, Status.FAILED, null, List.of(FieldError.ofEvent(index, "", error)));
	}

	/** Whether the event is durably stored. */
	public boolean isAccepted() {
		return this.status == Status.ACCEPTED;
	}

	/** The fate of one event. */
	public enum Status {

		/** Durably stored; it will reach a worker. */
		ACCEPTED,

		/** Rejected for its content. */
		INVALID,

		/** Valid, but the gateway could not store it. */
		FAILED

	}

}
