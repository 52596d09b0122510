package io.eventgateway.orchestrator.retry;

import java.util.concurrent.CompletableFuture;

import io.eventgateway.orchestrator.buffer.BufferedTask;

/**
 * Takes a task that failed (NACKed, or poisoned by expired leases) off the orchestrator's
 * hands.
 */
@FunctionalInterface
public interface FailedTaskSink {

	/**
	 * Writes the failed task to where it goes next; the future completes once that write
	 * is durable, and only then may the task's original offset count as done.
	 * @param task the task, its attempt count already raised for this failure
	 * @param reason why it failed
	 * @return the decision taken, once written
	 */
	CompletableFuture<RetryDecision> send(BufferedTask task, String reason);

}
