package io.eventgateway.ingest.event;

import java.util.List;

/**
 * How a batch as a whole is answered (HTTP status, gRPC status), from its events'
 * outcomes: any accepted event makes the batch a success with per-event results.
 */
public enum BatchVerdict {

	/** At least one event was accepted (HTTP 202, gRPC OK). */
	ACCEPTED,

	/**
	 * Nothing was accepted and every event was invalid (HTTP 400, gRPC INVALID_ARGUMENT).
	 */
	INVALID,

	/**
	 * Nothing was accepted and some valid event could not be stored (HTTP 503, gRPC
	 * UNAVAILABLE).
	 */
	UNAVAILABLE;

	/** The verdict for a batch with these outcomes. */
	public static BatchVerdict of(List<EventOutcome> outcomes) {
		boolean anyFailed = false;
		for (EventOutcome outcome : outcomes) {
			if (outcome.isAccepted()) {
				return ACCEPTED;
			}
			anyFailed |= outcome.status() == EventOutcome.Status.FAILED;
		}
		return anyFailed ? UNAVAILABLE : INVALID;
	}

}
