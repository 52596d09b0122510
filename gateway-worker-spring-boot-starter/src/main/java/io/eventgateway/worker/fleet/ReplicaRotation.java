package io.eventgateway.worker.fleet;

import java.util.Set;

/**
 * One fetch loop's turn through the orchestrator replicas: each fetch goes to the next
 * replica, so every replica's buffer is drained, and loops that start at different turns
 * ask different replicas at the same time.
 *
 * <p>
 * Not thread-safe: one per fetch loop, whose fetcher calls it under one lock, from the
 * loop's thread or, for a timed fetch ahead, the renewal thread.
 */
public final class ReplicaRotation {

	private final OrchestratorFleet fleet;

	private int turn;

	/**
	 * @param fleet the replicas
	 * @param start the first turn; the loop's number, so that loops spread out
	 */
	public ReplicaRotation(OrchestratorFleet fleet, int start) {
		this.fleet = fleet;
		this.turn = start;
	}

	/**
	 * The replica for the next fetch, held until the returned hold is closed.
	 * @param tried replicas already tried for this fetch, not picked again
	 * @return the held replica, or {@code null} when no other replica is known
	 */
	public OrchestratorFleet.Hold next(Set<OrchestratorReplica> tried) {
		return this.fleet.pick(this.turn++, tried);
	}

	/** The replicas, to name them in errors. */
	public OrchestratorFleet fleet() {
		return this.fleet;
	}

}
