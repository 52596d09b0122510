package io.eventgateway.orchestrator.retry;

import java.util.concurrent.CompletableFuture;

import io.eventgateway.orchestrator.buffer.BufferedTask;

/**
 * Takes a task that failed (NACKed, or poisoned by expired leases), or a record the
 * gateway did not write, off the orchestrator's hands. Neither method throws an
 * exception: every failure, synchronous or not, completes the future exceptionally. An
 * {@link Error} may still be thrown; callers treat it as a failed write.
 */
public interface FailedTaskSink {

	/**
	 * Writes the failed task to where it goes next; the future completes once that write
	 * is durable, and only then may the task's original offset count as done.
	 * @param task the task, its attempt count already raised for this failure
	 * @param reason why it failed
	 * @return the decision taken, once written
	 */
	CompletableFuture<RetryDecision> send(BufferedTask task, String reason);

	/**
	 * Writes a record of a source topic that is not a gateway event to the dead-letter
	 * topic, as it is, with its origin and the reason; the future completes once that
	 * write is durable, and only then may the record's offset count as done.
	 * @param record the record
	 * @return completes once written
	 */
	CompletableFuture<Void> deadLetter(ForeignRecord record);

}
