package io.eventgateway.ingest.schedule;

/** Thrown when delayed events would be over the scheduler's pending limit. */
public class SchedulerFullException extends RuntimeException {

	public SchedulerFullException(int maxPending) {
		super("the scheduler already holds its limit of " + maxPending + " delayed events; send again later");
	}

}
