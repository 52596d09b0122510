package io.eventgateway.client;

/**
 * Ingest accepted the API key but refused the batch (gRPC {@code PERMISSION_DENIED}, HTTP
 * 403): an event of it names a company other than the key's. Not retried: every event of
 * the batch fails with it.
 */
public class GatewayPermissionException extends GatewayException {

	private static final long serialVersionUID = 1L;

	public GatewayPermissionException(String message) {
		super(message);
	}

}
