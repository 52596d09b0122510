package io.eventgateway.worker.processor;

/**
 * Whether one event was processed.
 *
 * @param success true to ACK, false to NACK
 * @param reason why processing failed; empty on success
 */
public record ProcessingOutcome(boolean success, String reason) {

	private static final ProcessingOutcome ACK = new ProcessingOutcome(true, "");

	/** The event was processed. */
	public static ProcessingOutcome ack() {
		return ACK;
	}

	/** The event failed for the given reason and should be retried. */
	public static ProcessingOutcome nack(String reason) {
		return new ProcessingOutcome(false, (reason != null) ? reason : "");
	}

}
