package io.eventgateway.ingest.api.http;

/**
 * A request body went past the byte limit while it was being read: the request is refused
 * with 413 at once, without reading the rest.
 */
class BodyTooLargeException extends RuntimeException {

	BodyTooLargeException(long limit) {
		super("request body is over the limit of " + limit + " bytes");
	}

}
