package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.eventgateway.bench.chaos.net.NetworkLab.Network;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.standalone.EmbeddedConfigServer;
import io.eventgateway.embedded.ManagementLogin;
import io.eventgateway.standalone.OwnerOnlyFile;
import io.eventgateway.standalone.broker.KafkaBrokerProcess.Node;
import io.eventgateway.standalone.broker.KafkaQuorum;
import io.eventgateway.standalone.process.LoopbackPorts;

/**
 * Real brokers and every role, each its own OS process on fixed loopback ports, so that
 * any of them can be killed and started again where its peers expect it. In the
 * {@link ClusterShape#SINGLE single} shape, one of each; in the {@link ClusterShape#FLEET
 * fleet} shape, a 3-node KRaft cluster, orchestrator replicas, several workers,
 * publishers and ingest instances, publishers that take their rollout settings from a
 * config server, and on demand a second cluster with its own fleet (the rollout fleet).
 */
final class ChaosCluster implements AutoCloseable {

	static final String PREFIX = "chaos";

	/** The fleet that reads the primary cluster. */
	static final String PRIMARY = "primary";

	/** The fleet that reads the rollout cluster. */
	static final String ROLLOUT = "rollout";

	/** The orchestrator replicas of the rollout fleet. */
	static final int ROLLOUT_ORCHESTRATORS = 1;

	/** The workers of the rollout fleet. */
	static final int ROLLOUT_WORKERS = 1;

	/**
	 * How long a process may take to become healthy: a dozen JVMs starting at once on 2
	 * shared cores take minutes.
	 */
	private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(10);

	private static final int PARTITIONS = 3;

	/**
	 * The file, in the run's folder, with the management credentials
	 * ({@code user:password}, as {@code curl -u} takes it) of every role.
	 */
	static final String CREDENTIALS_FILE = "management-credentials";

	private static final String LOOPBACK = "127.0.0.1";

	/** Every broker's client port on its own host; its controller listens on the next. */
	private static final int BROKER_PORT = 9092;

	/** How long an orchestrator cut off its cluster waits before it fences itself. */
	static final Duration NETWORK_FENCE_AFTER = Duration.ofSeconds(10);

	/** The consumers' session timeout in network namespaces. */
	static final Duration NETWORK_SESSION_TIMEOUT = Duration.ofSeconds(15);

	/**
	 * The worker's fetch loops: each holds at most one lease at a time, which bounds the
	 * leases a healthy worker can lose at once.
	 */
	static final int WORKER_LOOPS = 1;

	private final LoopbackPorts ports = new LoopbackPorts();

	private final Path dir;

	private final ChaosSettings settings;

	private final ClusterShape shape;

	private final KafkaQuorum brokers;

	private final EmbeddedConfigServer settingsServer;

	private final Map<Role, List<RoleProcess>> roles = new EnumMap<>(Role.class);

	/** The management credentials made up for the run, which every role is given. */
	private final ManagementLogin management = ManagementLogin.from(List.of());

	private final List<RoleProcess> rolloutRoles = new ArrayList<>();

	private final int[] orchestratorGrpcPorts;

	private final int[] orchestratorHttpPorts;

	private final List<String> ingestAddresses = new ArrayList<>();

	private final @Nullable FleetHosts network;

	private KafkaQuorum rolloutBrokers;

	private ChaosCluster(Path dir, ChaosSettings settings, ClusterShape shape, KafkaQuorum brokers,
			EmbeddedConfigServer settingsServer, @Nullable FleetHosts network) throws IOException {
		this.dir = dir;
		this.network = network;
		this.settings = settings;
		this.shape = shape;
		this.brokers = brokers;
		this.settingsServer = settingsServer;
		Files.createDirectories(dir.resolve("ledgers"));
		OwnerOnlyFile.write(dir.resolve(CREDENTIALS_FILE), this.management.curlUser());
		for (Role role : Role.values()) {
			this.roles.put(role, new ArrayList<>());
		}
		this.orchestratorGrpcPorts = new int[shape.orchestratorSlots()];
		this.orchestratorHttpPorts = new int[shape.orchestratorSlots()];
		for (int i = 0; i < shape.orchestratorSlots(); i++) {
			this.orchestratorGrpcPorts[i] = freePort();
			this.orchestratorHttpPorts[i] = freePort();
		}
		List<Integer> publisherGrpc = new ArrayList<>();
		for (int i = 0; i < shape.publishers(); i++) {
			publisherGrpc.add(freePort());
			String spool = shape.fleet() ? "spool-" + i : "spool";
			List<String> args = new ArrayList<>(common(brokers.bootstrapServers(), PRIMARY));
			args.addAll((settingsServer != null) ? settingsServer.clientArgs()
					: List.of("--spring.cloud.config.enabled=false"));
			args.addAll(List.of("--spring.grpc.server.port=" + publisherGrpc.get(i),
					"--gateway.publisher.spool.directory=" + dir.resolve(spool),
					"--gateway.publisher.spool.replay-interval=2s"));
			add(this.roles.get(Role.PUBLISHER), Role.PUBLISHER, i, freePort(), args);
		}
		for (int i = 0; i < shape.orchestrators(); i++) {
			this.roles.get(Role.ORCHESTRATOR).add(orchestrator(i, shape.orchestrators()));
		}
		for (int i = 0; i < shape.workers(); i++) {
			List<String> args = withConfigOff(common(brokers.bootstrapServers(), PRIMARY));
			args.addAll(workerArgs(PRIMARY, i, orchestratorAddresses(this.orchestratorGrpcPorts)));
			add(this.roles.get(Role.WORKER), Role.WORKER, i, freePort(), args);
		}
		for (int i = 0; i < shape.ingests(); i++) {
			int http = freePort();
			this.ingestAddresses.add(bindAddress(Role.INGEST, i) + ":" + http);
			List<String> args = withConfigOff(common(brokers.bootstrapServers(), PRIMARY));
			// Ingest's channel takes one target (Spring gRPC's static:// is one
			// host:port), so each instance hands off to its own publisher; together
			// they use both.
			args.addAll(List.of("--spring.grpc.server.port=" + freePort(),
					"--spring.grpc.client.channels.publisher.address=static://"
							+ bindAddress(Role.PUBLISHER, i % publisherGrpc.size()) + ":"
							+ publisherGrpc.get(i % publisherGrpc.size())));
			add(this.roles.get(Role.INGEST), Role.INGEST, i, http, args);
		}
	}

	/**
	 * Settings every role of a fleet shares: its cluster, loopback addresses, the topics
	 * and their replication, the retry and lease timings of the run.
	 */
	private List<String> common(String bootstrapServers, String fleet) {
		List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers,
				"--spring.main.banner-mode=off", "--spring.cloud.bus.enabled=false",
				"--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=" + PARTITIONS,
				"--gateway.topics.retry-levels=" + this.settings.retryLevels(),
				"--gateway.orchestrator.retry.base-delay=500ms", "--gateway.orchestrator.retry.multiplier=2",
				"--gateway.orchestrator.lease.timeout=" + this.settings.leaseTimeout().toMillis() + "ms",
				"--gateway.worker.max-tasks-per-batch=50", "--logging.level.root=WARN",
				"--logging.level.io.eventgateway=INFO"));
		if (this.shape.fleet()) {
			boolean primary = PRIMARY.equals(fleet);
			args.add("--gateway.topics.replication-factor=" + (primary ? this.shape.replicationFactor() : 1));
			args.add("--gateway.topics.min-insync-replicas=" + (primary ? this.shape.minInsyncReplicas() : 1));
		}
		if (this.network != null) {
			// A network fault lasts tens of seconds: a consumer cut off the brokers loses
			// its partitions after 15 s rather than 45 s, within the fault.
			args.add("--spring.kafka.consumer.properties.session.timeout.ms=" + NETWORK_SESSION_TIMEOUT.toMillis());
		}
		return args;
	}

	private static List<String> withConfigOff(List<String> args) {
		List<String> all = new ArrayList<>(args);
		all.add("--spring.cloud.config.enabled=false");
		return all;
	}

	/**
	 * A worker's own settings: every orchestrator address its fleet may run on
	 * ({@code gateway.worker.orchestrators}; it fetches from every replica that answers);
	 * its ledger; the fault switch.
	 */
	private List<String> workerArgs(String fleet, int index, List<String> orchestratorAddresses) {
		String all = String.join(",", orchestratorAddresses);
		return List.of("--gateway.worker.orchestrators=" + all, "--gateway.worker.discovery-interval=5s",
				"--gateway.worker.concurrency=" + WORKER_LOOPS, RoleMain.LEDGER + ledgerFile(fleet, index),
				RoleMain.FAULT_SWITCH + faultSwitchFile());
	}

	/** Every orchestrator slot's gRPC address, {@code host:port}. */
	private List<String> orchestratorAddresses(int[] ports) {
		List<String> addresses = new ArrayList<>();
		for (int i = 0; i < ports.length; i++) {
			addresses.add(bindAddress(Role.ORCHESTRATOR, i) + ":" + ports[i]);
		}
		return addresses;
	}

	/**
	 * Where instance {@code index} of a role binds its servers and is reached: its host's
	 * gRPC address in the network lab (reachable from the harness while its Kafka link is
	 * cut), else loopback.
	 */
	String bindAddress(Role role, int index) {
		return (this.network != null) ? this.network.host(role, index).address(Network.GRPC) : LOOPBACK;
	}

	/**
	 * Orchestrator replica {@code index} of {@code replicas}, on the ports reserved for
	 * that index.
	 */
	private RoleProcess orchestrator(int index, int replicas) throws IOException {
		List<String> args = withConfigOff(common(this.brokers.bootstrapServers(), PRIMARY));
		args.add("--spring.grpc.server.port=" + this.orchestratorGrpcPorts[index]);
		if (this.shape.fleet()) {
			args.addAll(List.of("--gateway.orchestrator.replica-index=" + index,
					"--gateway.orchestrator.number-of-replicas=" + replicas,
					"--gateway.orchestrator.fleet=" + PRIMARY));
		}
		if (this.network != null) {
			// Fenced within the fault and before its group's session times out.
			args.add("--gateway.orchestrator.fence-after=" + NETWORK_FENCE_AFTER.toSeconds() + "s");
		}
		return process(Role.ORCHESTRATOR, index, this.orchestratorHttpPorts[index], args);
	}

	private void add(List<RoleProcess> into, Role role, int index, int httpPort, List<String> args) throws IOException {
		into.add(process(role, index, httpPort, args));
	}

	private RoleProcess process(Role role, int index, int httpPort, List<String> args) throws IOException {
		String name = role.name().toLowerCase(Locale.ROOT) + (this.shape.fleet() ? "-" + index : "");
		List<String> prefix = (this.network != null) ? this.network.host(role, index).commandPrefix() : List.of();
		return process(name, role, bindAddress(role, index), httpPort, args, prefix);
	}

	private RoleProcess process(String name, Role role, int httpPort, List<String> args) throws IOException {
		return process(name, role, LOOPBACK, httpPort, args, List.of());
	}

	private RoleProcess process(String name, Role role, String host, int httpPort, List<String> args,
			List<String> commandPrefix) throws IOException {
		List<String> all = new ArrayList<>(args);
		all.addAll(
				List.of("--server.address=" + host, "--spring.grpc.server.host=" + host, "--server.port=" + httpPort));
		int managementPort = httpPort;
		if (role == Role.INGEST) {
			// Ingest's actuator has a port of its own, apart from its API.
			managementPort = freePort();
			all.addAll(List.of("--management.server.port=" + managementPort, "--management.server.address=" + host));
		}
		return new RoleProcess(role, name, this.shape.jvmOptions(role), host, managementPort, this.management, all,
				this.dir.resolve(name + ".log"), commandPrefix);
	}

	/**
	 * Starts the brokers, creates the topics (fleet), starts the config server the
	 * publishers read (fleet), then every role at once, and waits until all are healthy.
	 */
	static ChaosCluster start(Path dir, ChaosSettings settings, ClusterShape shape)
			throws IOException, InterruptedException {
		return start(dir, settings, shape, null);
	}

	/**
	 * {@link #start(Path, ChaosSettings, ClusterShape)} with every process on its own
	 * host of a network lab when {@code network} is given. There the publishers read no
	 * config server (it would listen in the harness's namespace), so the rollout is off.
	 */
	static ChaosCluster start(Path dir, ChaosSettings settings, ClusterShape shape, @Nullable FleetHosts network)
			throws IOException, InterruptedException {
		KafkaQuorum brokers;
		if (network != null) {
			List<Node> nodes = new ArrayList<>();
			for (int id = 1; id <= shape.brokers(); id++) {
				nodes.add(new Node(id, network.broker(id).address(Network.KAFKA), BROKER_PORT));
			}
			brokers = KafkaQuorum.start(dir.resolve("kafka"), nodes, shape.brokerJvmOptions(),
					network.brokerPrefixes());
		}
		else {
			brokers = KafkaQuorum.start(dir.resolve("kafka"), shape.brokers(), shape.brokerJvmOptions());
		}
		EmbeddedConfigServer settingsServer = null;
		ChaosCluster cluster = null;
		try {
			if (shape.fleet()) {
				ClusterTopics.create(brokers.bootstrapServers(), new TopicLayout(PREFIX, settings.retryLevels()),
						PARTITIONS, shape.orchestratorSlots(), shape.replicationFactor(), shape.minInsyncReplicas());
			}
			if (shape.fleet() && network == null) {
				Path folder = Files.createDirectories(dir.resolve("settings"));
				writePublisherSettings(folder, 0, "");
				// The config server shares this JVM's classpath with the roles'
				// libraries:
				// pointed at the run's cluster, whatever of them looks for Kafka finds
				// it.
				settingsServer = EmbeddedConfigServer.start(0, "--spring.profiles.active=native",
						"--spring.cloud.config.server.native.search-locations=" + folder.toUri(),
						"--spring.kafka.bootstrap-servers=" + brokers.bootstrapServers());
			}
			cluster = new ChaosCluster(dir, settings, shape, brokers, settingsServer, network);
			for (RoleProcess role : cluster.roles()) {
				role.start();
			}
			cluster.awaitHealthy();
			return cluster;
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			if (cluster != null) {
				cluster.close();
			}
			else {
				if (settingsServer != null) {
					settingsServer.close();
				}
				brokers.close();
			}
			throw ex;
		}
	}

	/** {@code kill -9} of every broker; their data stays for the restart. */
	void killBroker() throws InterruptedException {
		this.brokers.killAll();
	}

	/** Starts every broker again on its data. */
	void startBroker() throws IOException, InterruptedException {
		this.brokers.restartAll();
	}

	/** The primary cluster's brokers. */
	KafkaQuorum brokers() {
		return this.brokers;
	}

	ClusterShape shape() {
		return this.shape;
	}

	/** The first instance of a role. */
	RoleProcess role(Role role) {
		return this.roles.get(role).get(0);
	}

	/**
	 * Every instance of a role in the primary fleet now, by index (orchestrators: by
	 * replica index).
	 */
	List<RoleProcess> instances(Role role) {
		return List.copyOf(this.roles.get(role));
	}

	/** Starts a killed role's first instance again and waits until it is healthy. */
	void restart(Role role) throws IOException, InterruptedException {
		restart(role(role));
	}

	/** Starts a killed instance again and waits until it is healthy. */
	void restart(RoleProcess process) throws IOException, InterruptedException {
		process.start();
		process.awaitHealthy(STARTUP_TIMEOUT);
	}

	/**
	 * Stops orchestrator replica {@code index} cleanly if it runs, starts it as one of
	 * {@code replicas} on its ports, and waits until it is healthy: a step of a rolling
	 * restart, or of a rolling change of the number of replicas (a setting read at
	 * start), or the start of a replica that did not run yet.
	 */
	void restartOrchestrator(int index, int replicas) throws IOException, InterruptedException {
		if (index >= this.orchestratorGrpcPorts.length) {
			throw new IllegalArgumentException("no ports reserved for orchestrator replica " + index);
		}
		List<RoleProcess> orchestrators = this.roles.get(Role.ORCHESTRATOR);
		RoleProcess replacement = orchestrator(index, replicas);
		if (index < orchestrators.size()) {
			orchestrators.get(index).close();
			orchestrators.set(index, replacement);
		}
		else if (index == orchestrators.size()) {
			orchestrators.add(replacement);
		}
		else {
			throw new IllegalArgumentException(
					"orchestrator replicas start in index order; " + orchestrators.size() + " run, asked for " + index);
		}
		restart(replacement);
	}

	/** Stops the orchestrator replica of the highest index cleanly, for a scale-down. */
	void stopLastOrchestrator() throws InterruptedException {
		List<RoleProcess> orchestrators = this.roles.get(Role.ORCHESTRATOR);
		orchestrators.remove(orchestrators.size() - 1).close();
	}

	/** Waits until every role reports healthy again (after a broker restart, say). */
	void awaitHealthy() throws IOException, InterruptedException {
		for (RoleProcess role : roles()) {
			role.awaitHealthy(STARTUP_TIMEOUT);
		}
	}

	/** The topics of the run's gateway. */
	TopicLayout topics() {
		return new TopicLayout(PREFIX, this.settings.retryLevels());
	}

	/** Every process of every role, the rollout fleet's included. */
	List<RoleProcess> roles() {
		return Stream.concat(this.roles.values().stream().flatMap(List::stream), this.rolloutRoles.stream()).toList();
	}

	String bootstrapServers() {
		return this.brokers.bootstrapServers();
	}

	/** Where ingest listens: one {@code host:port} per instance. */
	List<String> ingestAddresses() {
		return this.ingestAddresses;
	}

	/**
	 * The hosts of the network lab the fleet runs in.
	 * @throws IllegalStateException when it runs on loopback
	 */
	FleetHosts network() {
		if (this.network == null) {
			throw new IllegalStateException("a network fault needs the fleet in network namespaces: add --netns");
		}
		return this.network;
	}

	/** The ledger of one worker of one fleet. */
	Path ledgerFile(String fleet, int worker) {
		return this.dir.resolve("ledgers").resolve(fleet + "-worker-" + worker + ".ledger");
	}

	/** The ledgers of every worker of every fleet. */
	List<Path> ledgerFiles() {
		return ledgerFiles("");
	}

	/** The ledgers of every worker of the fleets whose names start so. */
	List<Path> ledgerFiles(String fleet) {
		Path folder = this.dir.resolve("ledgers");
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter((file) -> file.getFileName().toString().startsWith(fleet)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every delivery to every worker so far. */
	ProcessedLedger ledger() throws IOException {
		return ProcessedLedger.read(ledgerFiles());
	}

	/**
	 * The dead-letter topics' content: the primary's, and the rollout cluster's once that
	 * runs.
	 */
	DeadLetters deadLetters() {
		DeadLetters letters = DeadLetters.read(bootstrapServers(), topics().dlq());
		return (this.rolloutBrokers != null)
				? letters.plus(DeadLetters.read(this.rolloutBrokers.bootstrapServers(), topics().dlq())) : letters;
	}

	/** The file that switches faults on inside the workers' processors. */
	Path faultSwitchFile() {
		return this.dir.resolve("worker-fault-switch");
	}

	/** The spool folders of the publishers. */
	List<Path> spoolDirs() {
		if (!this.shape.fleet()) {
			return List.of(this.dir.resolve("spool"));
		}
		List<Path> dirs = new ArrayList<>();
		for (int i = 0; i < this.shape.publishers(); i++) {
			dirs.add(this.dir.resolve("spool-" + i));
		}
		return dirs;
	}

	Path dir() {
		return this.dir;
	}

	/**
	 * Starts the rollout cluster (one broker, topics created by the harness) and its own
	 * fleet: orchestrators named {@value #ROLLOUT} that send their flow-control signals
	 * to the primary cluster ingest reads, and a worker of their own. Returns once all
	 * are healthy.
	 */
	void startRollout() throws IOException, InterruptedException {
		if (this.rolloutBrokers != null) {
			return;
		}
		if (this.network != null) {
			throw new IllegalStateException("the rollout fleet runs on loopback only, not with --netns");
		}
		// On the cluster's ports: a slot not scaled up yet holds its port unbound.
		this.rolloutBrokers = KafkaQuorum.start(this.dir.resolve("rollout-kafka"), 1, this.shape.brokerJvmOptions(),
				this.ports);
		ClusterTopics.create(this.rolloutBrokers.bootstrapServers(), topics(), PARTITIONS,
				this.shape.orchestratorSlots(), (short) 1, 1);
		List<String> grpc = new ArrayList<>();
		for (int i = 0; i < ROLLOUT_ORCHESTRATORS; i++) {
			int port = freePort();
			grpc.add(LOOPBACK + ":" + port);
			List<String> args = withConfigOff(common(this.rolloutBrokers.bootstrapServers(), ROLLOUT));
			args.addAll(List.of("--spring.grpc.server.port=" + port, "--gateway.orchestrator.replica-index=" + i,
					"--gateway.orchestrator.number-of-replicas=" + ROLLOUT_ORCHESTRATORS,
					"--gateway.orchestrator.fleet=" + ROLLOUT,
					"--gateway.orchestrator.flow-control.bootstrap-servers=" + bootstrapServers()));
			this.rolloutRoles.add(process("rollout-orchestrator-" + i, Role.ORCHESTRATOR, freePort(), args));
		}
		for (int i = 0; i < ROLLOUT_WORKERS; i++) {
			List<String> args = withConfigOff(common(this.rolloutBrokers.bootstrapServers(), ROLLOUT));
			args.addAll(workerArgs(ROLLOUT, i, grpc));
			this.rolloutRoles.add(process("rollout-worker-" + i, Role.WORKER, freePort(), args));
		}
		for (RoleProcess role : this.rolloutRoles) {
			role.start();
		}
		for (RoleProcess role : this.rolloutRoles) {
			role.awaitHealthy(STARTUP_TIMEOUT);
		}
	}

	/** The rollout cluster's address, or {@code null} before {@link #startRollout}. */
	String rolloutBootstrapServers() {
		return (this.rolloutBrokers != null) ? this.rolloutBrokers.bootstrapServers() : null;
	}

	/**
	 * Moves the publishers' rollout percentage as an operator would: a new settings file
	 * on the config server, then {@code POST /actuator/refresh} on every publisher, each
	 * checked on {@code /actuator/gateway} to route with the new percentage.
	 */
	void rolloutPercentage(int percentage) throws IOException, InterruptedException {
		if (this.settingsServer == null || this.rolloutBrokers == null) {
			throw new IllegalStateException("the rollout needs the fleet shape and a started rollout cluster");
		}
		writePublisherSettings(this.dir.resolve("settings"), percentage, this.rolloutBrokers.bootstrapServers());
		for (RoleProcess publisher : instances(Role.PUBLISHER)) {
			RoleProcess.Answer refresh = publisher.post("/actuator/refresh");
			RoleProcess.Answer state = publisher.get("/actuator/gateway");
			if (!refresh.ok() || !state.ok() || !state.body().contains("\"percentage\":" + percentage + ",")) {
				throw new IllegalStateException(publisher.name() + " did not take rollout percentage " + percentage
						+ ": refresh answered " + refresh.status() + " " + LivenessWatch.abbreviate(refresh.body())
						+ ", state " + LivenessWatch.abbreviate(state.body()));
			}
		}
	}

	private static void writePublisherSettings(Path folder, int percentage, String rolloutBootstrapServers)
			throws IOException {
		String yaml = """
				gateway:
				  publisher:
				    rollout:
				      percentage: %d
				      bootstrap-servers: "%s"
				""".formatted(percentage, rolloutBootstrapServers);
		Path next = folder.resolve("publisher-app.yml.next");
		Files.writeString(next, yaml, StandardCharsets.UTF_8);
		Files.move(next, folder.resolve("publisher-app.yml"), StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
	}

	/** Stops ingest first, the brokers last. */
	@Override
	public void close() throws InterruptedException {
		for (Role role : List.of(Role.INGEST, Role.WORKER, Role.ORCHESTRATOR, Role.PUBLISHER)) {
			for (RoleProcess process : this.roles.get(role)) {
				process.close();
			}
		}
		for (RoleProcess process : this.rolloutRoles) {
			process.close();
		}
		if (this.settingsServer != null) {
			this.settingsServer.close();
		}
		if (this.rolloutBrokers != null) {
			this.rolloutBrokers.close();
		}
		this.brokers.close();
		if (this.network != null) {
			this.network.close();
		}
	}

	private int freePort() throws IOException {
		return this.ports.next();
	}

}
