package io.eventgateway.orchestrator.fleet;

/**
 * Whether this orchestrator takes work now, and if not, why. Decided afresh whenever
 * asked ({@link ServingGate#standing()}); there are no stored transitions, so any
 * standing may follow any other:
 * <ul>
 * <li>{@link #SERVING} to {@link #STANDBY} when the fleet is taken off
 * {@code active-fleets}, and back when it is listed again;</li>
 * <li>any standing to {@link #FENCED} when the cluster has not been reached for
 * {@code fence-after}, and back once it answers again.</li>
 * </ul>
 */
public enum Standing {

	/** Reads its sources, buffers and leases tasks, commits what is done. */
	SERVING,

	/**
	 * Its fleet is not active: the sources commit what is done and leave their consumer
	 * groups, buffered tasks are dropped (their new owner reads them again), no new
	 * leases are handed out; the leases out already are still answered or expire.
	 */
	STANDBY,

	/**
	 * No contact with the Kafka cluster for too long: the group may have given the
	 * partitions to another replica already, so the sources leave without committing,
	 * buffered tasks are dropped, and FetchTasks is refused so that workers go to another
	 * replica.
	 */
	FENCED

}
