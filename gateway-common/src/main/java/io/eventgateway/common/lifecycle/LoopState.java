package io.eventgateway.common.lifecycle;

/** How a monitored loop fares, as its health reports it. */
public enum LoopState {

	/** Registered, not started yet. */
	STARTING(true),

	/** Made progress within its stall limit. */
	RUNNING(true),

	/**
	 * Its last iterations failed, but it made progress within its stall limit; it is
	 * backing off and trying again.
	 */
	FAILING(true),

	/** Alive but without progress for longer than its stall limit. */
	STALLED(false),

	/** Its thread ended without being asked to stop. */
	DEAD(false),

	/** Ended because it was asked to stop. */
	STOPPED(true);

	private final boolean healthy;

	LoopState(boolean healthy) {
		this.healthy = healthy;
	}

	/** Whether this state leaves liveness UP. */
	public boolean healthy() {
		return this.healthy;
	}

}
