package io.eventgateway.ingest.publish;

/**
 * Thrown when a request's events would be over the limit of events in flight to the
 * publisher: nothing of the request was published, and it may be sent again later as it
 * is.
 */
public class PublisherBusyException extends RuntimeException {

	public PublisherBusyException(long limit) {
		super("ingest already has its limit of " + limit + " events in flight to the publisher ("
				+ InFlightEvents.SETTING + "); nothing of this request was stored, send it again later");
	}

}
