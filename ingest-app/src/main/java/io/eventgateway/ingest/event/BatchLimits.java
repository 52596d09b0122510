package io.eventgateway.ingest.event;

/**
 * Batch-level limits, checked before any event is looked at.
 *
 * @param maxEvents the most events in one request
 */
public record BatchLimits(int maxEvents) {

	/** Checks the event count and the request id of a batch. */
	public void check(int eventCount, String requestId) {
		if (eventCount == 0) {
			throw new BatchRejectedException("events", "must contain at least one event");
		}
		if (eventCount > this.maxEvents) {
			throw new BatchRejectedException("events",
					"has " + eventCount + " events, over the limit of " + this.maxEvents + " per request");
		}
		if (requestId != null && !EventRules.isValidId(requestId)) {
			throw new BatchRejectedException("request_id",
					"must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'");
		}
	}

}
