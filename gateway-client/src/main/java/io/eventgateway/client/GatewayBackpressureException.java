package io.eventgateway.client;

/**
 * The client already holds {@code maxInFlightBytes} of unanswered events and none were
 * answered within {@code maxBlock}: the event was not sent.
 */
public class GatewayBackpressureException extends GatewayException {

	private static final long serialVersionUID = 1L;

	public GatewayBackpressureException(String message) {
		super(message);
	}

}
