package io.eventgateway.common.event;

import org.jspecify.annotations.Nullable;

import io.eventgateway.proto.v1.Event;

/**
 * The checks an event must pass to be ordered and served: the orchestrator makes them on
 * a record it has to decode, and a worker on every event it is leased, since a record
 * ordered by its headers alone reaches a worker with its payload unchecked.
 */
public final class OrderableEvents {

	/** How a worker's NACK reason starts when the event failed these checks. */
	public static final String UNREADABLE = "unreadable event: ";

	private OrderableEvents() {
	}

	/**
	 * Why the event cannot be ordered and served, or {@code null} when it can.
	 * @param event a decoded event
	 * @return the problem, naming the field
	 */
	public static @Nullable String problem(Event event) {
		if (event.getEventId().isEmpty()) {
			return "no event id";
		}
		if (!event.hasSloDeadline() || !ProtoTime.isValid(event.getSloDeadline())) {
			return "no valid SLO deadline";
		}
		if (event.getAttempt() < 0) {
			return "negative attempt " + event.getAttempt();
		}
		try {
			Priority.fromProto(event.getPriorityLevel());
		}
		catch (IllegalArgumentException ex) {
			return "unknown priority: " + ex.getMessage();
		}
		return null;
	}

}
