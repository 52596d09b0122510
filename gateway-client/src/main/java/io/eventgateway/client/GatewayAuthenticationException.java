package io.eventgateway.client;

/**
 * Ingest refused the API key (gRPC {@code UNAUTHENTICATED}, HTTP 401): it is missing,
 * unknown or revoked. Not retried: every event of the batch fails with it.
 */
public class GatewayAuthenticationException extends GatewayException {

	private static final long serialVersionUID = 1L;

	public GatewayAuthenticationException(String message) {
		super(message);
	}

}
