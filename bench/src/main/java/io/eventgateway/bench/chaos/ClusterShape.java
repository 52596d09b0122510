package io.eventgateway.bench.chaos;

import java.util.List;

/**
 * How many of each process a chaos run starts, and how big they are.
 *
 * @param fleet whether this is the fleet: topics replicated on every broker, several
 * instances of each role, orchestrators told their replica index
 * @param brokers Kafka nodes, each broker and controller
 * @param orchestrators orchestrator replicas at the start
 * @param orchestratorSlots orchestrator replicas the ports and the responses topic are
 * reserved for (a scale-up adds up to this many)
 * @param workers workers
 * @param publishers publishers
 * @param ingests ingest instances
 * @param roleHeap the heap of every role but the orchestrator ({@code -Xmx…})
 * @param orchestratorHeap the orchestrator's heap: it refuses to start when its buffers
 * and memory thresholds do not fit
 * @param brokerJvmOptions every broker's JVM options. The brokers, like the roles, run on
 * the C1 compiler alone: a chaos run's load is small, and C2 kept compiling an idle
 * broker for minutes, its busiest thread on a 2-core machine shared by every process of
 * the run
 */
record ClusterShape(boolean fleet, int brokers, int orchestrators, int orchestratorSlots, int workers, int publishers,
		int ingests, String roleHeap, String orchestratorHeap, List<String> brokerJvmOptions) {

	/** One of everything: the shape of the single-instance chaos runs. */
	static final ClusterShape SINGLE = new ClusterShape(false, 1, 1, 1, 1, 1, 1, "-Xmx384m", "-Xmx384m",
			List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));

	/**
	 * The fleet, sized for 2 cores and 24 GB: 3 brokers, 3 orchestrator replicas (room
	 * for a 4th), 3 workers, 2 publishers and 2 ingest instances, on small heaps.
	 */
	static final ClusterShape FLEET = new ClusterShape(true, 3, 3, 4, 3, 2, 2, "-Xmx256m", "-Xmx384m",
			List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));

	/**
	 * The fleet with one publisher and one ingest instance: the faults that hit the
	 * orchestrators need several replicas, brokers and workers, not several front doors,
	 * and each process left out is one less JVM on a 2-core machine.
	 */
	static final ClusterShape FLEET_ONE_FRONT_DOOR = new ClusterShape(true, 3, 3, 4, 3, 1, 1, "-Xmx256m", "-Xmx384m",
			List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));

	/** The JVM options of one role's processes. */
	List<String> jvmOptions(Role role) {
		return List.of((role == Role.ORCHESTRATOR) ? this.orchestratorHeap : this.roleHeap, "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-Xss512k");
	}

	/** The replication factor of the topics: every broker, at most three. */
	short replicationFactor() {
		return (short) Math.min(3, this.brokers);
	}

	/** {@code min.insync.replicas} of the topics: one fewer than the replicas. */
	int minInsyncReplicas() {
		return Math.max(1, replicationFactor() - 1);
	}

}
