package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.eventgateway.bench.BenchResult;
import io.eventgateway.bench.chaos.ChaosLoad.Sent;

/**
 * Chaos scenarios: every role and the broker as separate processes, a steady load, a
 * fault a third of the way into each fault's window, the rest of the window, then a drain
 * and a verdict per fault from the ledgers.
 *
 * <p>
 * A scenario injects one fault on a fresh cluster. A tour injects several, one after the
 * other on one cluster, each once the events before it are done: the short version the
 * build runs, which spares a cluster start per fault.
 */
public final class ChaosRun {

	private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

	/** Events sent this recently may still be on their way when a window settles. */
	private static final Duration SETTLE_MARGIN = Duration.ofSeconds(5);

	private static final long SETTLE_MARGIN_MICROS = TimeUnit.NANOSECONDS.toMicros(SETTLE_MARGIN.toNanos());

	/**
	 * How long a role's liveness may answer other than UP before a wait gives up on it:
	 * longer than a stall limit's flicker, far shorter than the settle timeout.
	 */
	private static final Duration LIVENESS_GRACE = Duration.ofSeconds(10);

	private ChaosRun() {
	}

	/** Whether the name is a chaos scenario. */
	public static boolean isScenario(String name) {
		return Fault.forScenario(name) != null;
	}

	/** The name of the tour of every fault on one cluster. */
	public static final String ALL = "chaos-all";

	/** The scenario names, for usage messages. */
	public static String scenarios() {
		return String.join("|", scenarioList()) + "|" + ALL;
	}

	/** The fleet's own scenario names, for usage messages. */
	public static String fleetScenarios() {
		return String.join("|", fleetScenarioList()) + "|" + ALL;
	}

	/**
	 * The scenario names of the single-instance cluster, one per fault, no fault first.
	 */
	public static List<String> scenarioList() {
		return List.of(Fault.values()).stream().filter((fault) -> !fault.fleetOnly()).map(Fault::scenario).toList();
	}

	/**
	 * The scenario names only the fleet runs, in the order of its tour: the changes of
	 * orchestrator replicas last, since they leave fewer replicas running.
	 */
	public static List<String> fleetScenarioList() {
		return List
			.of(Fault.KILL_ORCHESTRATOR_REPLICA, Fault.ROLLING_RESTART_ORCHESTRATORS, Fault.KILL_BROKER_LEADER,
					Fault.ROLLOUT_FLIP, Fault.SCALE_ORCHESTRATORS)
			.stream()
			.map(Fault::scenario)
			.toList();
	}

	/**
	 * The network faults, which need the fleet in network namespaces ({@code --netns}).
	 */
	public static List<String> networkScenarioList() {
		return List.of(Fault.PARTITION_ORCHESTRATOR, Fault.PARTITION_BROKER, Fault.SLOW_BROKER_LINK)
			.stream()
			.map(Fault::scenario)
			.toList();
	}

	/**
	 * Runs the scenario of the given name on a fresh cluster.
	 * @param scenario one of {@link #scenarios()}
	 * @param duration how long the load runs, fault included
	 * @param rate events per second, or {@code null} for the default
	 * @param out where progress goes
	 */
	public static BenchResult run(String scenario, Duration duration, Integer rate, PrintStream out)
			throws IOException, InterruptedException {
		return tour(List.of(scenario), duration, rate, false, out).get(0);
	}

	/**
	 * Runs the scenario of the given name on a fresh cluster of the given shape.
	 * @param fleet whether the cluster is the fleet rather than one of each
	 */
	public static BenchResult run(String scenario, Duration duration, Integer rate, boolean fleet, PrintStream out)
			throws IOException, InterruptedException {
		return tour(List.of(scenario), duration, rate, fleet, out).get(0);
	}

	/**
	 * Runs the scenario of the given name on a fresh fleet, in network namespaces when
	 * {@code netns}.
	 */
	public static BenchResult run(String scenario, Duration duration, Integer rate, boolean fleet, boolean netns,
			PrintStream out) throws IOException, InterruptedException {
		return tour(List.of(scenario), duration, rate, fleet, netns, out).get(0);
	}

	/** {@link #tour(List, Duration, Integer, boolean, PrintStream)} on one of each. */
	public static List<BenchResult> tour(List<String> scenarios, Duration window, Integer rate, PrintStream out)
			throws IOException, InterruptedException {
		return tour(scenarios, window, rate, false, out);
	}

	/**
	 * Runs the scenarios one after the other on one cluster, each in its own window of
	 * {@code window}, and returns a result per scenario. When the events of a window do
	 * not all come through within the settle timeout, the tour stops there: that window
	 * fails saying which events are missing, and the faults after it fail as not run.
	 */
	public static List<BenchResult> tour(List<String> scenarios, Duration window, Integer rate, boolean fleet,
			PrintStream out) throws IOException, InterruptedException {
		return tour(scenarios, window, rate, fleet, false, out);
	}

	/**
	 * {@link #tour(List, Duration, Integer, boolean, PrintStream)}, with every process of
	 * the fleet on a host of its own in network namespaces when {@code netns}: the
	 * network faults need it. Where namespaces cannot be made (not root, no iproute2),
	 * every scenario fails as skipped, saying why.
	 */
	public static List<BenchResult> tour(List<String> scenarios, Duration window, Integer rate, boolean fleet,
			boolean netns, PrintStream out) throws IOException, InterruptedException {
		return tour(scenarios, window, rate, fleet ? ClusterShape.FLEET : ClusterShape.SINGLE, netns, out);
	}

	/**
	 * {@link #tour(List, Duration, Integer, boolean, boolean, PrintStream)} on a cluster
	 * of the given shape.
	 */
	static List<BenchResult> tour(List<String> scenarios, Duration window, Integer rate, ClusterShape shape,
			boolean netns, PrintStream out) throws IOException, InterruptedException {
		boolean fleet = shape.fleet();
		List<Fault> faults = scenarios.stream().map(Fault::forScenario).toList();
		for (Fault fault : faults) {
			if (fault.fleetOnly() && !fleet) {
				throw new IllegalArgumentException(fault.scenario() + " runs on the fleet only: add --fleet");
			}
			if (fault.networkOnly() && !netns) {
				throw new IllegalArgumentException(
						fault.scenario() + " runs on the fleet in network namespaces only: add --fleet --netns");
			}
			if (netns && fault == Fault.ROLLOUT_FLIP) {
				throw new IllegalArgumentException(fault.scenario() + " runs on loopback only: drop --netns");
			}
		}
		if (netns && !FleetHosts.available()) {
			String reason = "skipped: network namespaces cannot be made here (they need root and iproute2's ip)";
			out.println("chaos: " + reason);
			return faults.stream()
				.map((fault) -> new BenchResult(fault.scenario(), Map.of("fault", fault.scenario()),
						Map.of("events accepted", 0L), 0, List.of(reason)))
				.toList();
		}
		ChaosSettings settings = ChaosSettings.of(window, rate);
		Path dir = Files.createTempDirectory("chaos-" + (fleet ? "fleet-" : "") + String.join("-", scenarios) + "-");
		out.println("chaos: starting "
				+ (fleet ? "the fleet (" + shape.brokers() + " brokers, " + shape.orchestrators() + " orchestrators, "
						+ shape.workers() + " workers, " + shape.publishers() + " publishers, " + shape.ingests()
						+ " ingest)" : "the broker and every role")
				+ " as separate processes in " + dir + " (management credentials, user:password, in "
				+ dir.resolve(ChaosCluster.CREDENTIALS_FILE) + ")");
		List<Window> windows = new ArrayList<>();
		DeadLetters deadLetters;
		ProcessedLedger ledger;
		ChaosLoad load;
		FleetHosts network = netns ? FleetHosts.create(shape) : null;
		if (network != null) {
			out.println("chaos: every process on a host of its own in network namespaces " + network.lab().name()
					+ "-*; orchestrators fence after " + ChaosCluster.NETWORK_FENCE_AFTER.toSeconds()
					+ " s, consumers' session timeout " + ChaosCluster.NETWORK_SESSION_TIMEOUT.toSeconds() + " s");
		}
		try (FleetHosts closing = network; ChaosCluster cluster = ChaosCluster.start(dir, settings, shape, network)) {
			load = new ChaosLoad(cluster.ingestAddresses(), settings.rate());
			load.start();
			for (Fault fault : faults) {
				if (!windows.isEmpty() && !settled(windows, out,
						fault.scenario() + ": waiting for %d earlier events" + " before the next fault%n", load,
						cluster, settings, nowMicros() - SETTLE_MARGIN_MICROS)) {
					break;
				}
				long windowStart = windows.isEmpty() ? 0 : nowMicros();
				long started = System.nanoTime();
				progress(out, fault, load, cluster, window.dividedBy(3));
				out.println(fault.scenario() + ": injecting the fault");
				FaultEvidence evidence = new FaultEvidence();
				long faultAt = nowMicros();
				fault.inject(new Fault.Chaos(cluster, settings, load, evidence));
				long recoveredAt = nowMicros();
				out.printf("%s: every process healthy again after %.1f s%n", fault.scenario(),
						(recoveredAt - faultAt) / 1e6);
				progress(out, fault, load, cluster, max(window.minusNanos(System.nanoTime() - started), SETTLE_MARGIN));
				windows.add(new Window(fault, windowStart, faultAt, recoveredAt, evidence));
			}
			load.close();
			if (windows.get(windows.size() - 1).evidence().unsettled() == null) {
				out.println("chaos: load stopped; draining");
				settled(windows, out, "chaos: %d accepted events not done yet%n", load, cluster, settings,
						Long.MAX_VALUE);
			}
			// Dead letters first: a worker writes its ledger line before it answers, so
			// every attempt of a dead letter read now is in the ledger read next.
			deadLetters = cluster.deadLetters();
			ledger = cluster.ledger();
		}
		List<BenchResult> results = new ArrayList<>();
		for (int i = 0; i < windows.size(); i++) {
			Window current = windows.get(i);
			long end = (i + 1 < windows.size()) ? windows.get(i + 1).startMicros() : Long.MAX_VALUE;
			Map<String, Sent> accepted = within(load.accepted(), current.startMicros(), end);
			long offered = within(load.sent(), current.startMicros(), end).size();
			ChaosVerdict verdict = new ChaosVerdict(current.fault(), settings, accepted, offered, ledger, deadLetters,
					current.faultAtMicros(), current.recoveredAtMicros(), current.evidence());
			Map<String, Object> used = settings(current.fault(), settings, shape, windows.size(), dir);
			if (network != null) {
				used.put("network",
						"every process in its own network namespace; fence-after "
								+ ChaosCluster.NETWORK_FENCE_AFTER.toSeconds() + " s, consumer session timeout "
								+ ChaosCluster.NETWORK_SESSION_TIMEOUT.toSeconds() + " s");
			}
			results.add(new BenchResult(current.fault().scenario(), used, verdict.figures(), verdict.lost(),
					verdict.failures()));
		}
		for (Fault skipped : faults.subList(windows.size(), faults.size())) {
			results.add(new BenchResult(skipped.scenario(), settings(skipped, settings, shape, windows.size(), dir),
					Map.of("events accepted", 0L), 0, List.of("not run: the events of "
							+ windows.get(windows.size() - 1).fault().scenario() + " never all came through")));
		}
		return results;
	}

	/**
	 * Waits until every event accepted before {@code sentBefore} is done, so that the
	 * next fault starts from a caught-up cluster (or the verdict reads a drained one),
	 * then closes the last window's evidence. Gives up after the settle timeout, or once
	 * a role's liveness has been DOWN for {@link #LIVENESS_GRACE}, and says why in that
	 * window's evidence.
	 * @return whether everything came through
	 */
	private static boolean settled(List<Window> windows, PrintStream out, String progressFormat, ChaosLoad load,
			ChaosCluster cluster, ChaosSettings settings, long sentBefore) throws IOException, InterruptedException {
		FaultEvidence evidence = windows.get(windows.size() - 1).evidence();
		long started = System.nanoTime();
		Map<String, Long> downSince = new HashMap<>();
		String reason = null;
		while (true) {
			DeadLetters deadLetters = cluster.deadLetters();
			List<Sent> notDone = notDone(load.accepted().values(), cluster.ledger(), deadLetters, sentBefore);
			if (notDone.isEmpty()) {
				break;
			}
			reason = livenessDown(cluster, downSince);
			if (reason != null) {
				break;
			}
			if (System.nanoTime() - started > settings.settleTimeout().toNanos()) {
				reason = notDone.size() + " events accepted but neither delivered nor dead-lettered after "
						+ settings.settleTimeout().toSeconds() + " s: first ids "
						+ String.join(", ", notDone.stream().limit(5).map(Sent::id).toList());
				break;
			}
			out.printf(progressFormat, notDone.size());
			TimeUnit.SECONDS.sleep(2);
		}
		evidence.close(cluster);
		if (reason != null) {
			out.println("chaos: giving up: " + reason);
			evidence.unsettled(reason);
		}
		return reason == null;
	}

	/**
	 * The first role whose liveness has not answered UP for {@link #LIVENESS_GRACE}, with
	 * its answer, or {@code null}: a dead loop will not bring the missing events.
	 */
	private static String livenessDown(ChaosCluster cluster, Map<String, Long> downSince) throws InterruptedException {
		long now = System.nanoTime();
		for (RoleProcess role : cluster.roles()) {
			RoleProcess.Answer answer = role.get("/actuator/health/liveness");
			if (answer.ok()) {
				downSince.remove(role.name());
				continue;
			}
			long since = downSince.computeIfAbsent(role.name(), (key) -> now);
			if (now - since >= LIVENESS_GRACE.toNanos()) {
				return role.name() + " liveness DOWN for " + LIVENESS_GRACE.toSeconds() + " s: " + answer.status() + " "
						+ LivenessWatch.abbreviate(answer.body());
			}
		}
		return null;
	}

	/** The events accepted before {@code sentBefore} that are not done, oldest first. */
	private static List<Sent> notDone(Collection<Sent> accepted, ProcessedLedger ledger, DeadLetters deadLetters,
			long sentBefore) {
		return accepted.stream()
			.filter((event) -> event.sentMicros() < sentBefore
					&& !(event.poison() ? deadLetters.contains(event.id()) : ledger.processed(event.id())))
			.sorted(Comparator.comparingLong(Sent::sentMicros))
			.toList();
	}

	private static Map<String, Sent> within(Map<String, Sent> events, long fromMicros, long toMicros) {
		Map<String, Sent> selected = new LinkedHashMap<>();
		events.forEach((id, event) -> {
			if (event.sentMicros() >= fromMicros && event.sentMicros() < toMicros) {
				selected.put(id, event);
			}
		});
		return selected;
	}

	private static Map<String, Object> settings(Fault fault, ChaosSettings settings, ClusterShape shape,
			int faultsInRun, Path dir) {
		Map<String, Object> used = new LinkedHashMap<>();
		used.put("fault", fault.scenario());
		used.put("cluster", shape.fleet()
				? shape.brokers() + " brokers (replication " + shape.replicationFactor() + ", min in sync "
						+ shape.minInsyncReplicas() + "), " + shape.orchestrators() + " orchestrators, "
						+ shape.workers() + " workers, " + shape.publishers() + " publishers, " + shape.ingests()
						+ " ingest; heaps " + shape.roleHeap() + ", orchestrators " + shape.orchestratorHeap()
				: "one broker, one of each role");
		used.put("faultsInThisRun", faultsInRun);
		used.put("windowSeconds", settings.duration().toSeconds());
		used.put("rate", settings.rate());
		used.put("mix", "10% P30, 30% P20, 60% P10; 1% poison");
		used.put("leaseTimeout", settings.leaseTimeout().toString());
		used.put("retryLevels", settings.retryLevels());
		used.put("outage", ChaosSettings.OUTAGE.toString());
		used.put("faultWindow", settings.faultWindow().toString());
		used.put("settleTimeout", settings.settleTimeout().toString());
		used.put("p30RecoveryBoundSeconds", settings.p30RecoveryBound().toSeconds());
		used.put("logs", dir.toString());
		return used;
	}

	private static void progress(PrintStream out, Fault fault, ChaosLoad load, ChaosCluster cluster, Duration length)
			throws IOException, InterruptedException {
		long end = System.nanoTime() + length.toNanos();
		while (System.nanoTime() < end) {
			TimeUnit.NANOSECONDS.sleep(Math.min(PROGRESS_INTERVAL.toNanos(), end - System.nanoTime()));
			out.printf("%s: %d offered, %d accepted, %d deliveries%n", fault.scenario(), load.sent().size(),
					load.accepted().size(), cluster.ledger().lines());
		}
	}

	private static long nowMicros() {
		return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	/**
	 * One fault's part of a run.
	 *
	 * @param fault the fault
	 * @param startMicros when its window began (events sent from then on are its own)
	 * @param faultAtMicros when it was injected
	 * @param recoveredAtMicros when every process was healthy again
	 * @param evidence what the injection saw beyond the ledgers
	 */
	private record Window(Fault fault, long startMicros, long faultAtMicros, long recoveredAtMicros,
			FaultEvidence evidence) {
	}

}
