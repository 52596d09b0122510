package io.eventgateway.ingest.auth;

import io.eventgateway.ingest.event.FieldError;

/**
 * A request refused for who sent it: without a valid API key (unauthenticated) or for
 * events of a company its key does not speak for (forbidden).
 */
public final class AccessDeniedException extends RuntimeException {

	private final boolean authenticated;

	private final FieldError error;

	private AccessDeniedException(boolean authenticated, String field, String message) {
		super(field + ": " + message);
		this.authenticated = authenticated;
		this.error = new FieldError(field, message);
	}

	static AccessDeniedException unauthenticated(String message) {
		return new AccessDeniedException(false, ApiKeys.HEADER, message);
	}

	static AccessDeniedException forbidden(String field, String message) {
		return new AccessDeniedException(true, field, message);
	}

	/** Whether the key was valid (forbidden) rather than missing or unknown. */
	public boolean authenticated() {
		return this.authenticated;
	}

	/** The header or field at fault and why. */
	public FieldError error() {
		return this.error;
	}

}
