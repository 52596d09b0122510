package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.util.List;

import io.eventgateway.bench.chaos.net.NetworkLab;
import io.eventgateway.bench.chaos.net.NetworkLab.Host;
import io.eventgateway.bench.chaos.net.NetworkLab.Network;

/**
 * The hosts of a fleet in a {@link NetworkLab}: every broker, orchestrator, worker,
 * publisher and ingest instance in a network namespace of its own, so that a network
 * fault can cut or slow the link of one process. Brokers join the Kafka network only;
 * every other role joins both, binds its gRPC and HTTP servers to its gRPC address (which
 * the harness reaches while a Kafka link is cut) and reaches the brokers over its Kafka
 * link.
 *
 * <p>
 * The namespaces go on {@link #close} and, should the harness be stopped before it gets
 * there, in a shutdown hook.
 */
final class FleetHosts implements AutoCloseable {

	private static final int BROKERS = 0;

	private static final int ORCHESTRATORS = 10;

	private static final int WORKERS = 20;

	private static final int PUBLISHERS = 30;

	private static final int INGESTS = 40;

	private final NetworkLab lab;

	private final Thread cleanup;

	private final Host[] brokers;

	private final Host[] orchestrators;

	private final Host[] workers;

	private final Host[] publishers;

	private final Host[] ingests;

	private FleetHosts(NetworkLab lab, ClusterShape shape) {
		this.lab = lab;
		this.cleanup = new Thread(lab::close, "network-lab-cleanup");
		Runtime.getRuntime().addShutdownHook(this.cleanup);
		this.brokers = new Host[shape.brokers()];
		this.orchestrators = new Host[shape.orchestratorSlots()];
		this.workers = new Host[shape.workers()];
		this.publishers = new Host[shape.publishers()];
		this.ingests = new Host[shape.ingests()];
	}

	/** Whether this machine can run the fleet in network namespaces. */
	static boolean available() {
		return NetworkLab.available();
	}

	/**
	 * Creates a host for every process of the shape (every orchestrator slot included).
	 */
	static FleetHosts create(ClusterShape shape) throws IOException {
		NetworkLab lab = NetworkLab.create("n" + (ProcessHandle.current().pid() % 10000));
		FleetHosts hosts = new FleetHosts(lab, shape);
		try {
			for (int i = 0; i < hosts.brokers.length; i++) {
				hosts.brokers[i] = lab.host("b" + (i + 1), BROKERS + i + 1, Network.KAFKA);
			}
			both(lab, hosts.orchestrators, "o", ORCHESTRATORS);
			both(lab, hosts.workers, "w", WORKERS);
			both(lab, hosts.publishers, "p", PUBLISHERS);
			both(lab, hosts.ingests, "i", INGESTS);
			return hosts;
		}
		catch (IOException | RuntimeException ex) {
			hosts.close();
			throw ex;
		}
	}

	private static void both(NetworkLab lab, Host[] into, String name, int base) throws IOException {
		for (int i = 0; i < into.length; i++) {
			into[i] = lab.host(name + i, base + i + 1, Network.KAFKA, Network.GRPC);
		}
	}

	/** The host of broker node {@code nodeId} (1-based). */
	Host broker(int nodeId) {
		return this.brokers[nodeId - 1];
	}

	/** The host of a role's instance {@code index} (orchestrators: replica index). */
	Host host(Role role, int index) {
		switch (role) {
			case ORCHESTRATOR:
				return this.orchestrators[index];
			case WORKER:
				return this.workers[index];
			case PUBLISHER:
				return this.publishers[index];
			case INGEST:
				return this.ingests[index];
			default:
				throw new IllegalArgumentException("no host for " + role);
		}
	}

	/** The brokers' command prefixes, by node. */
	List<List<String>> brokerPrefixes() {
		return List.of(this.brokers).stream().map(Host::commandPrefix).toList();
	}

	NetworkLab lab() {
		return this.lab;
	}

	@Override
	public void close() {
		this.lab.close();
		try {
			Runtime.getRuntime().removeShutdownHook(this.cleanup);
		}
		catch (IllegalStateException ex) {
			// Already shutting down: the hook runs anyway, and closing twice is harmless.
		}
	}

}
