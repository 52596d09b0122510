package io.eventgateway.orchestrator.delay;

/**
 * A write of a delay record (to its destination, its next tier or the dead-letter topic)
 * failed; its partition is read again from that record.
 */
public class DelayWriteException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	DelayWriteException(String message, Throwable cause) {
		super(message, cause);
	}

}
