package io.eventgateway.bench.chaos;

import java.io.IOException;

/** One fault a chaos run injects under load, and how the run recovers from it. */
enum Fault {

	/**
	 * No process fault: only the poison events (1 in 100, failed on every attempt) that
	 * every run carries.
	 */
	POISON("poison", (cluster, settings) -> {
	}),

	/** {@code kill -9} of ingest; started again on the same ports. */
	KILL_INGEST("kill-ingest", (cluster, settings) -> killAndRestart(cluster, Role.INGEST)),

	/** {@code kill -9} of the publisher, between ingest and Kafka. */
	KILL_PUBLISHER("kill-publisher", (cluster, settings) -> killAndRestart(cluster, Role.PUBLISHER)),

	/** {@code kill -9} of the orchestrator while workers hold its leases. */
	KILL_ORCHESTRATOR("kill-orchestrator", (cluster, settings) -> killAndRestart(cluster, Role.ORCHESTRATOR)),

	/** {@code kill -9} of the worker in the middle of its batches. */
	KILL_WORKER("kill-worker", (cluster, settings) -> killAndRestart(cluster, Role.WORKER)),

	/** {@code kill -9} of the broker, started again on the same data. */
	KILL_BROKER("kill-broker", (cluster, settings) -> {
		cluster.killBroker();
		Thread.sleep(ChaosSettings.OUTAGE.toMillis());
		cluster.startBroker();
		cluster.awaitHealthy();
	}),

	/**
	 * {@code kill -STOP} of the orchestrator for longer than the lease timeout, then
	 * {@code kill -CONT}: its leases expire while it is frozen.
	 */
	PAUSE_ORCHESTRATOR("pause-orchestrator", (cluster, settings) -> {
		RoleProcess orchestrator = cluster.role(Role.ORCHESTRATOR);
		orchestrator.pause();
		Thread.sleep(settings.leaseTimeout().plus(ChaosSettings.OUTAGE).toMillis());
		orchestrator.resume();
		cluster.awaitHealthy();
	});

	private final String scenario;

	private final Injection injection;

	Fault(String scenario, Injection injection) {
		this.scenario = scenario;
		this.injection = injection;
	}

	/** The scenario name on the command line. */
	String scenario() {
		return this.scenario;
	}

	/**
	 * Injects the fault and returns once the cluster has recovered from it (every process
	 * up and healthy).
	 */
	void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException {
		this.injection.inject(cluster, settings);
	}

	/** The fault a scenario name stands for, or {@code null}. */
	static Fault forScenario(String scenario) {
		for (Fault fault : values()) {
			if (fault.scenario.equals(scenario)) {
				return fault;
			}
		}
		return null;
	}

	private static void killAndRestart(ChaosCluster cluster, Role role) throws IOException, InterruptedException {
		cluster.role(role).kill();
		Thread.sleep(ChaosSettings.OUTAGE.toMillis());
		cluster.restart(role);
	}

	/** How a fault is injected and recovered from. */
	@FunctionalInterface
	private interface Injection {

		void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException;

	}

}
