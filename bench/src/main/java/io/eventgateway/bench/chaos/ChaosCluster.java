package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.standalone.broker.KafkaBrokerProcess;

/**
 * A real broker and every role, each its own OS process on fixed loopback ports, so that
 * any of them can be killed and started again where its peers expect it.
 */
final class ChaosCluster implements AutoCloseable {

	static final String PREFIX = "chaos";

	private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

	/**
	 * The worker's fetch loops: each holds at most one lease at a time, which bounds the
	 * leases a healthy worker can lose at once.
	 */
	static final int WORKER_LOOPS = 1;

	private final Path dir;

	private final int brokerPort;

	private final Map<Role, RoleProcess> roles = new EnumMap<>(Role.class);

	private final int ingestHttpPort;

	private final int retryLevels;

	private KafkaBrokerProcess broker;

	private ChaosCluster(Path dir, int brokerPort, ChaosSettings settings) throws IOException {
		this.dir = dir;
		this.brokerPort = brokerPort;
		this.retryLevels = settings.retryLevels();
		List<String> common = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=127.0.0.1:" + brokerPort,
				"--server.address=127.0.0.1", "--spring.grpc.server.host=127.0.0.1", "--spring.main.banner-mode=off",
				"--spring.cloud.config.enabled=false", "--spring.cloud.bus.enabled=false",
				"--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=3",
				"--gateway.topics.retry-levels=" + settings.retryLevels(),
				"--gateway.orchestrator.retry.base-delay=500ms", "--gateway.orchestrator.retry.multiplier=2",
				"--gateway.orchestrator.lease.timeout=" + settings.leaseTimeout().toMillis() + "ms",
				"--gateway.worker.max-tasks-per-batch=50",
				"--gateway.publisher.spool.directory=" + dir.resolve("spool"),
				"--gateway.publisher.spool.replay-interval=2s", "--logging.level.root=WARN",
				"--logging.level.io.eventgateway=INFO"));
		int publisherGrpc = freePort();
		int orchestratorGrpc = freePort();
		this.ingestHttpPort = freePort();
		add(Role.PUBLISHER, freePort(), common, "--spring.grpc.server.port=" + publisherGrpc);
		add(Role.ORCHESTRATOR, freePort(), common, "--spring.grpc.server.port=" + orchestratorGrpc);
		add(Role.WORKER, freePort(), common, "--gateway.worker.orchestrators=127.0.0.1:" + orchestratorGrpc,
				"--gateway.worker.concurrency=" + WORKER_LOOPS, RoleMain.LEDGER + ledgerFile(),
				RoleMain.FAULT_SWITCH + faultSwitchFile());
		add(Role.INGEST, this.ingestHttpPort, common, "--spring.grpc.server.port=" + freePort(),
				"--spring.grpc.client.channels.publisher.address=static://127.0.0.1:" + publisherGrpc);
	}

	private void add(Role role, int httpPort, List<String> common, String... own) {
		List<String> args = new ArrayList<>(common);
		args.add("--server.port=" + httpPort);
		args.addAll(List.of(own));
		this.roles.put(role,
				new RoleProcess(role, httpPort, args, this.dir.resolve(role.name().toLowerCase(Locale.ROOT) + ".log")));
	}

	/** Starts the broker, then every role at once, and waits until all are healthy. */
	static ChaosCluster start(Path dir, ChaosSettings settings) throws IOException, InterruptedException {
		ChaosCluster cluster = new ChaosCluster(dir, KafkaBrokerProcess.freePortPair(), settings);
		try {
			cluster.startBroker();
			for (RoleProcess role : cluster.roles.values()) {
				role.start();
			}
			for (RoleProcess role : cluster.roles.values()) {
				role.awaitHealthy(STARTUP_TIMEOUT);
			}
			return cluster;
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	void startBroker() throws IOException, InterruptedException {
		this.broker = KafkaBrokerProcess.start(this.dir.resolve("kafka"), this.brokerPort);
	}

	/** {@code kill -9} of the broker; its data stays for the restart. */
	void killBroker() throws InterruptedException {
		this.broker.kill();
	}

	RoleProcess role(Role role) {
		return this.roles.get(role);
	}

	/** Starts a killed role again and waits until it is healthy. */
	void restart(Role role) throws IOException, InterruptedException {
		RoleProcess process = this.roles.get(role);
		process.start();
		process.awaitHealthy(STARTUP_TIMEOUT);
	}

	/** Waits until every role reports healthy again (after a broker restart, say). */
	void awaitHealthy() throws IOException, InterruptedException {
		for (RoleProcess role : this.roles.values()) {
			role.awaitHealthy(STARTUP_TIMEOUT);
		}
	}

	/** The topics of the run's gateway. */
	TopicLayout topics() {
		return new TopicLayout(PREFIX, this.retryLevels);
	}

	/** Every role's process. */
	Collection<RoleProcess> roles() {
		return this.roles.values();
	}

	String bootstrapServers() {
		return "127.0.0.1:" + this.brokerPort;
	}

	int ingestHttpPort() {
		return this.ingestHttpPort;
	}

	Path ledgerFile() {
		return this.dir.resolve("processed.ledger");
	}

	/** The file that switches faults on inside the worker's processor. */
	Path faultSwitchFile() {
		return this.dir.resolve("worker-fault-switch");
	}

	Path dir() {
		return this.dir;
	}

	/** Stops ingest first, the broker last. */
	@Override
	public void close() throws InterruptedException {
		for (Role role : List.of(Role.INGEST, Role.WORKER, Role.ORCHESTRATOR, Role.PUBLISHER)) {
			RoleProcess process = this.roles.get(role);
			if (process != null) {
				process.close();
			}
		}
		if (this.broker != null) {
			this.broker.close();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
