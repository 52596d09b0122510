package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.time.Duration;

/** One fault a chaos run injects under load, and how the run recovers from it. */
enum Fault {

	/** {@code kill -9} of ingest; started again on the same ports. */
	KILL_INGEST("kill-ingest") {
		@Override
		void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException {
			killAndRestart(cluster, Role.INGEST);
		}
	},

	/** {@code kill -9} of the publisher, between ingest and Kafka. */
	KILL_PUBLISHER("kill-publisher") {
		@Override
		void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException {
			killAndRestart(cluster, Role.PUBLISHER);
		}
	},

	/** {@code kill -9} of the orchestrator while workers hold its leases. */
	KILL_ORCHESTRATOR("kill-orchestrator") {
		@Override
		void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException {
			killAndRestart(cluster, Role.ORCHESTRATOR);
		}
	},

	/** {@code kill -9} of the worker in the middle of its batches. */
	KILL_WORKER("kill-worker") {
		@Override
		void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException {
			killAndRestart(cluster, Role.WORKER);
		}
	},

	/** {@code kill -9} of the broker, started again on the same data. */
	KILL_BROKER("kill-broker") {
		@Override
		void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException {
			cluster.killBroker();
			Thread.sleep(OUTAGE.toMillis());
			cluster.startBroker();
			cluster.awaitHealthy();
		}
	},

	/**
	 * {@code kill -STOP} of the orchestrator for longer than the lease timeout, then
	 * {@code kill -CONT}: its leases expire while it is frozen.
	 */
	PAUSE_ORCHESTRATOR("pause-orchestrator") {
		@Override
		void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException {
			RoleProcess orchestrator = cluster.role(Role.ORCHESTRATOR);
			orchestrator.pause();
			Thread.sleep(settings.leaseTimeout().plus(OUTAGE).toMillis());
			orchestrator.resume();
			cluster.awaitHealthy();
		}
	},

	/**
	 * No process fault: only the poison events (1 in 100, failed on every attempt) that
	 * every run carries.
	 */
	POISON("poison") {
		@Override
		void inject(ChaosCluster cluster, ChaosSettings settings) {
		}
	};

	/** How long a killed process stays down before it is started again. */
	static final Duration OUTAGE = Duration.ofSeconds(3);

	private final String scenario;

	Fault(String scenario) {
		this.scenario = scenario;
	}

	/** The scenario name on the command line. */
	String scenario() {
		return this.scenario;
	}

	/**
	 * Injects the fault and returns once the cluster has recovered from it (every process
	 * up and healthy).
	 */
	abstract void inject(ChaosCluster cluster, ChaosSettings settings) throws IOException, InterruptedException;

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
		Thread.sleep(OUTAGE.toMillis());
		cluster.restart(role);
	}

}
