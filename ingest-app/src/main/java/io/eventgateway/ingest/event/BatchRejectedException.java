package io.eventgateway.ingest.event;

/**
 * The batch as a whole cannot be used (empty, too large, malformed); no event of it was
 * taken.
 */
public class BatchRejectedException extends RuntimeException {

	private final FieldError error;

	public BatchRejectedException(String field, String message) {
		super(field.isEmpty() ? message : field + ": " + message);
		this.error = new FieldError(field, message);
	}

	/** The field at fault and why. */
	public FieldError error() {
		return this.error;
	}

}
