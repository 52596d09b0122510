package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.eventgateway.bench.chaos.net.NetworkLab;
import io.eventgateway.bench.chaos.net.Shaping;
import io.eventgateway.bench.chaos.net.NetworkLab.Host;
import io.eventgateway.bench.chaos.net.NetworkLab.Network;
import io.eventgateway.common.event.Priority;

/**
 * The network faults of the fleet in network namespaces: what each cuts or slows, how
 * long, and what it reads from the processes to show how they reacted.
 */
final class NetworkFaults {

	/** How long an orchestrator replica stays cut off the brokers. */
	static final Duration ORCHESTRATOR_PARTITION = Duration.ofSeconds(40);

	/** How long a broker stays cut off the others and the clients. */
	static final Duration BROKER_PARTITION = Duration.ofSeconds(30);

	/** Delay on a slowed broker link, each way. */
	static final int SLOW_DELAY_MILLIS = 200;

	/** Packet loss on a slowed broker link, each way, when the kernel has netem. */
	static final int SLOW_LOSS_PERCENT = 5;

	/**
	 * The rate of a slowed broker link when the kernel has no netem: a token bucket whose
	 * queue gives the delay and whose tail drop gives the loss.
	 */
	static final String SLOW_FALLBACK_RATE = "1mbit";

	private static final Duration POLL = Duration.ofSeconds(1);

	/** How long a replica may take to lift its fence once its link is back. */
	private static final Duration FENCE_LIFT_TIMEOUT = Duration.ofSeconds(60);

	/** FetchTasks calls that handed out a lease. */
	static final String LEASES_HANDED_OUT = "gateway.orchestrator.fetch.latency?tag=outcome:tasks";

	static final String FENCINGS = "gateway.orchestrator.fencings";

	static final String PUBLISH_LATENCY = "gateway.publisher.publish.latency?tag=cluster:primary";

	static final String FAILED_EVENTS = "gateway.publisher.events?tag=outcome:failed";

	private NetworkFaults() {
	}

	/**
	 * Cuts orchestrator replica 1's Kafka link while its gRPC link stays, watches it
	 * fence itself and hand out no lease while fenced, then restores the link and waits
	 * for the fence to lift.
	 */
	static void partitionOrchestrator(Fault.Chaos chaos) throws IOException, InterruptedException {
		ChaosCluster cluster = chaos.cluster();
		FaultEvidence evidence = chaos.evidence();
		List<RoleProcess> replicas = cluster.instances(Role.ORCHESTRATOR);
		int index = Math.min(1, replicas.size() - 1);
		RoleProcess victim = replicas.get(index);
		List<RoleProcess> others = replicas.stream().filter((replica) -> replica != victim).toList();
		Host host = cluster.network().host(Role.ORCHESTRATOR, index);
		NetworkLab lab = cluster.network().lab();
		evidence.note("orchestrator replica cut off the brokers (gRPC kept)",
				victim.name() + " for " + ORCHESTRATOR_PARTITION.toSeconds() + " s");
		double fencingsBefore = FaultEvidence.read(victim, FENCINGS, "COUNT");
		double othersBefore = sum(others, LEASES_HANDED_OUT, "COUNT");
		long cutAt = System.nanoTime();
		double leasesAtFence = Double.NaN;
		double leasesAtRestore;
		long fencedAfterMillis = -1;
		String servingWhileFenced = "unread";
		lab.cut(host, Network.KAFKA);
		try {
			while (System.nanoTime() - cutAt < ORCHESTRATOR_PARTITION.toNanos()) {
				if (fencedAfterMillis < 0 && fenced(victim)) {
					fencedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
					leasesAtFence = FaultEvidence.read(victim, LEASES_HANDED_OUT, "COUNT");
					servingWhileFenced = Integer.toString(victim.get("/actuator/health/readiness").status());
				}
				TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
			}
			leasesAtRestore = FaultEvidence.read(victim, LEASES_HANDED_OUT, "COUNT");
		}
		finally {
			lab.restore(host, Network.KAFKA);
		}
		long restoredAt = System.nanoTime();
		long liftedAfterMillis = -1;
		while (System.nanoTime() - restoredAt < FENCE_LIFT_TIMEOUT.toNanos()) {
			if (!fenced(victim)) {
				liftedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restoredAt);
				break;
			}
			TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
		}
		double fencings = FaultEvidence.read(victim, FENCINGS, "COUNT") - fencingsBefore;
		double othersDuring = sum(others, LEASES_HANDED_OUT, "COUNT") - othersBefore;
		evidence.note("fencings of the cut replica", format(fencings));
		evidence.note("cut replica fenced after (s)", (fencedAfterMillis < 0) ? "never" : seconds(fencedAfterMillis));
		evidence.note("cut replica's readiness status while fenced", servingWhileFenced);
		double whileFenced = leasesAtRestore - leasesAtFence;
		evidence.note("leases the cut replica handed out while fenced", format(whileFenced));
		evidence.note("leases the other replicas handed out from the cut to the fence's lift", format(othersDuring));
		evidence.note("fence lifted after the link came back (s)",
				(liftedAfterMillis < 0) ? "not within " + FENCE_LIFT_TIMEOUT.toSeconds() : seconds(liftedAfterMillis));
		if (fencedAfterMillis < 0) {
			evidence.problem(victim.name() + " never fenced itself in " + ORCHESTRATOR_PARTITION.toSeconds()
					+ " s without its brokers");
		}
		else if (Double.isNaN(whileFenced) || whileFenced > 0) {
			evidence.problem(victim.name() + " handed out " + format(whileFenced) + " leases while fenced");
		}
		if (liftedAfterMillis < 0) {
			evidence.problem(
					victim.name() + " still fenced " + FENCE_LIFT_TIMEOUT.toSeconds() + " s after its link came back");
		}
		if (!(othersDuring > 0)) {
			evidence.problem("the other replicas handed out no lease while " + victim.name() + " was cut off");
		}
		cluster.awaitHealthy();
	}

	/**
	 * Cuts the Kafka link of the broker leading partition 0 of the P30 topic (off the
	 * other brokers and every client), notes where the leadership moved, then restores
	 * it. No event may need the spool: the other two replicas are in sync.
	 */
	static void partitionBroker(Fault.Chaos chaos) throws IOException, InterruptedException {
		ChaosCluster cluster = chaos.cluster();
		FaultEvidence evidence = chaos.evidence();
		String topic = cluster.topics().priority(Priority.P30);
		int leader = ClusterTopics.leaderOf(cluster.bootstrapServers(), topic, 0);
		Host host = cluster.network().broker(leader);
		evidence.note("broker cut off the others and the clients (leader of P30 partition 0)",
				"node " + leader + " for " + BROKER_PARTITION.toSeconds() + " s");
		evidence.watchSpool(cluster);
		long cutAt = System.nanoTime();
		String newLeader = "unchanged";
		cluster.network().lab().cut(host, Network.KAFKA);
		try {
			while (System.nanoTime() - cutAt < BROKER_PARTITION.toNanos()) {
				if ("unchanged".equals(newLeader)) {
					int now = leaderOrMinusOne(cluster, topic);
					if (now >= 0 && now != leader) {
						newLeader = "node " + now + " after "
								+ seconds(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt)) + " s";
					}
				}
				TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
			}
		}
		finally {
			cluster.network().lab().restore(host, Network.KAFKA);
		}
		evidence.note("new leader of P30 partition 0", newLeader);
		if ("unchanged".equals(newLeader)) {
			evidence.problem("the leadership of " + topic + "-0 never left node " + leader + " while it was cut off");
		}
		cluster.awaitHealthy();
	}

	/**
	 * Delays and drops packets on the Kafka link of the broker leading partition 0 of the
	 * P30 topic for the fault window, and reads the publishers' latency and failed writes
	 * before and during it.
	 */
	static void slowBrokerLink(Fault.Chaos chaos) throws IOException, InterruptedException {
		ChaosCluster cluster = chaos.cluster();
		FaultEvidence evidence = chaos.evidence();
		List<RoleProcess> publishers = cluster.instances(Role.PUBLISHER);
		int leader = ClusterTopics.leaderOf(cluster.bootstrapServers(), cluster.topics().priority(Priority.P30), 0);
		Host host = cluster.network().broker(leader);
		Readings before = Readings.of(publishers);
		String applied = cluster.network()
			.lab()
			.degrade(host, Network.KAFKA, SLOW_DELAY_MILLIS, SLOW_LOSS_PERCENT, SLOW_FALLBACK_RATE);
		evidence.note("broker link slowed (leader of P30 partition 0)",
				"node " + leader + ": " + applied + ", for " + chaos.settings().faultWindow().toSeconds() + " s");
		Readings during;
		Shaping shaping;
		try {
			TimeUnit.MILLISECONDS.sleep(chaos.settings().faultWindow().toMillis());
			during = Readings.of(publishers);
			shaping = cluster.network().lab().shaping(host, Network.KAFKA);
		}
		finally {
			cluster.network().lab().unslow(host, Network.KAFKA);
		}
		evidence.note("packets through the slowed link", shaping.toString());
		double meanBefore = before.latencySeconds / before.publishes;
		double meanDuring = (during.latencySeconds - before.latencySeconds) / (during.publishes - before.publishes);
		evidence.note("publish latency, mean before the fault (ms)", millis(meanBefore));
		evidence.note("publish latency, mean while slowed (ms)", millis(meanDuring));
		evidence.note("publish latency, max while slowed (ms)", millis(during.maxLatencySeconds));
		evidence.note("publishes while slowed", format(during.publishes - before.publishes));
		evidence.note("failed writes to the primary before / while slowed",
				format(before.failed) + " / " + format(during.failed - before.failed));
		evidence.note("events spooled while slowed", format(during.spooled - before.spooled));
		evidence.note("events to the failed-writes topic while slowed",
				format(during.failedWrites - before.failedWrites));
		// The shaping's own counters prove the fault took effect. Publish latency is only
		// noted: on a machine this busy, its mean moves more with the load next to it
		// than
		// with one slowed link, and the run is about what the fleet loses, not how fast
		// it is.
		if (!shaping.tookEffect()) {
			evidence.problem("the slowed link held back and dropped no packet (" + shaping + ")");
		}
		if (Double.isNaN(meanBefore) || Double.isNaN(meanDuring)) {
			evidence.problem("could not read the publishers' " + PUBLISH_LATENCY);
		}
		cluster.awaitHealthy();
	}

	private static boolean fenced(RoleProcess orchestrator) throws InterruptedException {
		return orchestrator.get("/actuator/gateway").body().contains("\"fenced\":true");
	}

	private static int leaderOrMinusOne(ChaosCluster cluster, String topic) throws InterruptedException {
		try {
			return ClusterTopics.leaderOf(cluster.bootstrapServers(), topic, 0);
		}
		catch (IllegalStateException ex) {
			// No leader yet, or no broker answered in time: ask again.
			return -1;
		}
	}

	/** A statistic summed over processes; NaN when one could not be read. */
	static double sum(List<RoleProcess> processes, String meter, String statistic) throws InterruptedException {
		double total = 0;
		for (RoleProcess process : processes) {
			total += FaultEvidence.read(process, meter, statistic);
		}
		return total;
	}

	private static String seconds(long millis) {
		return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
	}

	private static String millis(double seconds) {
		return Double.isNaN(seconds) ? "unread" : String.format(Locale.ROOT, "%.1f", seconds * 1000);
	}

	private static String format(double value) {
		return Double.isNaN(value) ? "unread" : Long.toString(Math.round(value));
	}

	/**
	 * The publishers' counters at one moment, summed.
	 *
	 * @param publishes publishes to the primary
	 * @param latencySeconds their total time
	 * @param maxLatencySeconds the longest lately, over every publisher
	 * @param failed events whose write to the primary failed
	 * @param spooled events written to the spool
	 * @param failedWrites events written to the failed-writes topic
	 */
	private record Readings(double publishes, double latencySeconds, double maxLatencySeconds, double failed,
			double spooled, double failedWrites) {

		static Readings of(List<RoleProcess> publishers) throws InterruptedException {
			double max = Double.NaN;
			for (RoleProcess publisher : publishers) {
				double one = FaultEvidence.read(publisher, PUBLISH_LATENCY, "MAX");
				max = Double.isNaN(max) ? one : Math.max(max, one);
			}
			return new Readings(sum(publishers, PUBLISH_LATENCY, "COUNT"),
					sum(publishers, PUBLISH_LATENCY, "TOTAL_TIME"), max, sum(publishers, FAILED_EVENTS, "COUNT"),
					sum(publishers, FaultEvidence.SPOOLED, "COUNT"),
					sum(publishers, FaultEvidence.FAILED_WRITES, "COUNT"));
		}

	}

}
