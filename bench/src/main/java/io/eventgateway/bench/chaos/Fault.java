package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.eventgateway.common.event.Priority;

/** One fault a chaos run injects under load, and how the run recovers from it. */
enum Fault {

	/**
	 * No process fault: only the poison events (1 in 100, failed on every attempt) that
	 * every run carries.
	 */
	POISON("poison", (chaos) -> {
	}),

	/** {@code kill -9} of ingest; started again on the same ports. */
	KILL_INGEST("kill-ingest", (chaos) -> killAndRestart(chaos.cluster(), Role.INGEST)),

	/** {@code kill -9} of the publisher, between ingest and Kafka. */
	KILL_PUBLISHER("kill-publisher", (chaos) -> killAndRestart(chaos.cluster(), Role.PUBLISHER)),

	/** {@code kill -9} of the orchestrator while workers hold its leases. */
	KILL_ORCHESTRATOR("kill-orchestrator", (chaos) -> killAndRestart(chaos.cluster(), Role.ORCHESTRATOR)),

	/** {@code kill -9} of the worker in the middle of its batches. */
	KILL_WORKER("kill-worker", (chaos) -> killAndRestart(chaos.cluster(), Role.WORKER)),

	/** {@code kill -9} of the broker, started again on the same data. */
	KILL_BROKER("kill-broker", (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		cluster.killBroker();
		Thread.sleep(ChaosSettings.OUTAGE.toMillis());
		cluster.startBroker();
		cluster.awaitHealthy();
	}),

	/**
	 * {@code kill -STOP} of the orchestrator for longer than the lease timeout, then
	 * {@code kill -CONT}: its leases expire while it is frozen.
	 */
	PAUSE_ORCHESTRATOR("pause-orchestrator", (chaos) -> {
		RoleProcess orchestrator = chaos.cluster().role(Role.ORCHESTRATOR);
		orchestrator.pause();
		Thread.sleep(chaos.settings().leaseTimeout().plus(ChaosSettings.OUTAGE).toMillis());
		orchestrator.resume();
		chaos.cluster().awaitHealthy();
	}),

	/**
	 * Records the gateway did not write (tombstones, empty values, random bytes, other
	 * message types, events it cannot serve, bad retry headers, a 64 KB header) written
	 * between valid events into every topic the roles read, over the fault window. Those
	 * on source topics must end in the dead-letter topic; the orchestrator and ingest
	 * must stay live.
	 */
	FOREIGN_RECORDS("foreign-records", (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		chaos.evidence().watchLiveness(cluster, Role.ORCHESTRATOR, Role.INGEST);
		chaos.evidence()
			.foreign(new ForeignRecords(cluster.topics()).write(cluster.bootstrapServers(),
					chaos.settings().faultWindow()));
	}),

	/**
	 * For the fault window the worker's processor throws an exception, throws an error,
	 * or returns one outcome too few, batch after batch, with a good batch between; the
	 * worker must go on, stay live, and lose nothing.
	 */
	PROCESSOR_ERRORS("processor-errors", (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		chaos.evidence().watchLiveness(cluster, Role.WORKER);
		chaos.evidence().watchWorkerProcess(cluster);
		switchOn(chaos, new FaultSwitch.State(FaultSwitch.Mode.PROCESSOR_ERRORS, chaos.settings().retryLevels()));
	}),

	/**
	 * For the fault window one batch in four takes three lease timeouts; slow events must
	 * not be taken for poison.
	 */
	SLOW_WORKER("slow-worker", (chaos) -> {
		chaos.evidence().watchMeters(chaos.cluster());
		Duration slow = chaos.settings().leaseTimeout().multipliedBy(3);
		switchOn(chaos, new FaultSwitch.State(FaultSwitch.Mode.SLOW, slow.toMillis()));
		// A slow batch begun just before the switch went off is still running.
		Thread.sleep(slow.toMillis());
	}),

	/**
	 * For the fault window, bursts of events with payloads near ingest's limit besides
	 * the steady load; leases must not expire over and over.
	 */
	BIG_EVENTS("big-events", (chaos) -> {
		chaos.evidence().watchMeters(chaos.cluster());
		long end = System.nanoTime() + chaos.settings().faultWindow().toNanos();
		while (System.nanoTime() < end) {
			chaos.load().sendBig(Fault.BIG_BURST);
			Thread.sleep(Fault.BIG_BURST_INTERVAL_MILLIS);
		}
	}),

	/**
	 * Fleet: {@code kill -9} of one orchestrator replica (not the first) while workers
	 * hold its leases; the others go on, it is started again on its ports.
	 */
	KILL_ORCHESTRATOR_REPLICA("kill-orchestrator-replica", true, (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		List<RoleProcess> replicas = cluster.instances(Role.ORCHESTRATOR);
		RoleProcess victim = replicas.get(Math.min(1, replicas.size() - 1));
		chaos.evidence().note("orchestrator replica killed", victim.name());
		victim.kill();
		Thread.sleep(ChaosSettings.OUTAGE.toMillis());
		cluster.restart(victim);
	}),

	/**
	 * Fleet: every orchestrator replica in turn stopped cleanly, started again and waited
	 * for until healthy, as a rolling update does.
	 */
	ROLLING_RESTART_ORCHESTRATORS("rolling-restart-orchestrators", true, (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		int replicas = cluster.instances(Role.ORCHESTRATOR).size();
		for (int index = 0; index < replicas; index++) {
			cluster.restartOrchestrator(index, replicas);
		}
	}),

	/**
	 * Fleet: the orchestrator replicas scaled 3 → 4 → 2. The number of replicas is read
	 * at start, so every replica restarts with the new number, one at a time: to scale
	 * up, the new replicas start first and the others follow; to scale down, the replicas
	 * beyond the new number stop first and the others follow.
	 */
	SCALE_ORCHESTRATORS("scale-orchestrators", true, (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		int from = cluster.instances(Role.ORCHESTRATOR).size();
		int up = cluster.shape().orchestratorSlots();
		int down = Math.max(1, from - 1);
		chaos.evidence().note("orchestrator replicas", from + " → " + up + " → " + down);
		scaleOrchestrators(cluster, up);
		Thread.sleep(chaos.settings().faultWindow().toMillis());
		scaleOrchestrators(cluster, down);
	}),

	/**
	 * Fleet: {@code kill -9} of the broker that leads partition 0 of the P30 topic,
	 * started again on its data after the fault window. The other two replicas take over;
	 * no event may need the publishers' spool or failed-writes topic.
	 */
	KILL_BROKER_LEADER("kill-broker-leader", true, (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		int leader = ClusterTopics.leaderOf(cluster.bootstrapServers(), cluster.topics().priority(Priority.P30), 0);
		chaos.evidence().note("broker node killed (leader of P30 partition 0)", leader);
		chaos.evidence().watchSpool(cluster);
		cluster.brokers().kill(leader);
		Thread.sleep(chaos.settings().faultWindow().toMillis());
		cluster.brokers().restart(leader);
		cluster.awaitHealthy();
	}),

	/**
	 * Fleet: a second cluster with its own orchestrator fleet and worker; the publishers'
	 * rollout percentage moved 0 → 100 % for the fault window, then back to 0 %, each by
	 * a settings change on the config server and a refresh of every publisher. Every
	 * event must be processed by the fleet of the cluster it landed on.
	 */
	ROLLOUT_FLIP("rollout-flip", true, (chaos) -> {
		ChaosCluster cluster = chaos.cluster();
		cluster.startRollout();
		chaos.evidence().watchRollout();
		cluster.rolloutPercentage(100);
		Thread.sleep(chaos.settings().faultWindow().toMillis());
		cluster.rolloutPercentage(0);
	}),

	/**
	 * Network: one orchestrator replica's Kafka link cut for
	 * {@link NetworkFaults#ORCHESTRATOR_PARTITION} while its workers still reach it over
	 * gRPC, then restored. It must fence itself and stop leasing what it can no longer
	 * settle; nothing is lost, duplicates stay bounded.
	 */
	PARTITION_ORCHESTRATOR("partition-orchestrator", true, true, NetworkFaults::partitionOrchestrator),

	/**
	 * Network: the Kafka link of the broker leading partition 0 of the P30 topic cut for
	 * {@link NetworkFaults#BROKER_PARTITION}, off the other brokers and every client,
	 * then restored. The leader moves; nothing is lost.
	 */
	PARTITION_BROKER("partition-broker", true, true, NetworkFaults::partitionBroker),

	/**
	 * Network: the Kafka link of the broker leading partition 0 of the P30 topic delayed
	 * and lossy for the fault window (netem, or a token bucket where the kernel has no
	 * netem). The publishers' latency and failure chain react; nothing is lost.
	 */
	SLOW_BROKER_LINK("slow-broker-link", true, true, NetworkFaults::slowBrokerLink);

	/**
	 * Big events per burst: about 5 MB, more than one FetchTasks answer may carry if a
	 * lease took them all.
	 */
	private static final int BIG_BURST = 20;

	private static final long BIG_BURST_INTERVAL_MILLIS = 2000;

	private final String scenario;

	private final boolean fleetOnly;

	private final boolean networkOnly;

	private final Injection injection;

	Fault(String scenario, Injection injection) {
		this(scenario, false, injection);
	}

	Fault(String scenario, boolean fleetOnly, Injection injection) {
		this(scenario, fleetOnly, false, injection);
	}

	Fault(String scenario, boolean fleetOnly, boolean networkOnly, Injection injection) {
		this.scenario = scenario;
		this.fleetOnly = fleetOnly;
		this.networkOnly = networkOnly;
		this.injection = injection;
	}

	/** Whether the fault needs the fleet in network namespaces. */
	boolean networkOnly() {
		return this.networkOnly;
	}

	/**
	 * Whether the fault needs the fleet (replicas, several brokers, a second cluster).
	 */
	boolean fleetOnly() {
		return this.fleetOnly;
	}

	/** The scenario name on the command line. */
	String scenario() {
		return this.scenario;
	}

	/**
	 * Injects the fault and returns once the cluster has recovered from it (every process
	 * up and healthy).
	 */
	void inject(Chaos chaos) throws IOException, InterruptedException {
		this.injection.inject(chaos);
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

	/**
	 * Brings the orchestrator replicas to {@code target}: new replicas start first, then
	 * replicas beyond the target stop, then every remaining replica restarts with the new
	 * number, one at a time.
	 */
	private static void scaleOrchestrators(ChaosCluster cluster, int target) throws IOException, InterruptedException {
		int running = cluster.instances(Role.ORCHESTRATOR).size();
		for (int index = running; index < target; index++) {
			cluster.restartOrchestrator(index, target);
		}
		while (cluster.instances(Role.ORCHESTRATOR).size() > target) {
			cluster.stopLastOrchestrator();
		}
		for (int index = 0; index < Math.min(running, target); index++) {
			cluster.restartOrchestrator(index, target);
		}
	}

	private static void killAndRestart(ChaosCluster cluster, Role role) throws IOException, InterruptedException {
		cluster.role(role).kill();
		Thread.sleep(ChaosSettings.OUTAGE.toMillis());
		cluster.restart(role);
	}

	/** Turns the worker's fault switch on for the fault window, then off. */
	private static void switchOn(Chaos chaos, FaultSwitch.State state) throws InterruptedException {
		Path file = chaos.cluster().faultSwitchFile();
		FaultSwitch.set(file, state);
		try {
			Thread.sleep(chaos.settings().faultWindow().toMillis());
		}
		finally {
			FaultSwitch.set(file, FaultSwitch.State.OFF);
		}
	}

	/** How a fault is injected and recovered from. */
	@FunctionalInterface
	interface Injection {

		void inject(Chaos chaos) throws IOException, InterruptedException;

	}

	/**
	 * What an injection works with.
	 *
	 * @param cluster the processes
	 * @param settings how the run is shaped
	 * @param load the load generator
	 * @param evidence where it leaves what its verdict needs beyond the ledgers
	 */
	record Chaos(ChaosCluster cluster, ChaosSettings settings, ChaosLoad load, FaultEvidence evidence) {
	}

}
