package io.eventgateway.client;

/**
 * A problem that concerns the client's use of the gateway rather than one event: a future
 * of {@link GatewayClient#send(Event)} completes exceptionally with one of its
 * subclasses.
 */
public class GatewayException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public GatewayException(String message) {
		super(message);
	}

}
