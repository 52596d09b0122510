package io.eventgateway.standalone.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

import io.eventgateway.standalone.process.ChildJvm;
import io.eventgateway.standalone.process.LoopbackPorts;

/**
 * A real Kafka node in KRaft combined mode (broker and controller in one process), run as
 * a child JVM from the Apache Kafka jars on this application's classpath: a single-node
 * cluster on loopback, or one node of a {@link KafkaQuorum}.
 *
 * <p>
 * The child exits when this JVM ends, however it ends (see {@link BrokerMain}).
 */
public final class KafkaBrokerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final String SINGLE_NODE_HEAP = "-Xmx512m";

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private final Process process;

	private final Node node;

	private final Path dataDir;

	private final Path output;

	private KafkaBrokerProcess(Process process, Node node, Path dataDir, Path output) {
		this.process = process;
		this.node = node;
		this.dataDir = dataDir;
		this.output = output;
	}

	/**
	 * Formats storage under {@code dataDir} (once) and starts the broker, returning when
	 * it accepts connections.
	 * @param dataDir where the broker keeps its logs, settings and output
	 * @param port the client port; the controller uses {@code port + 1}
	 */
	public static KafkaBrokerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
		return start(dataDir, port, null);
	}

	/**
	 * Formats storage under {@code dataDir} (once) and starts the broker with a SASL_SSL
	 * listener beside its PLAINTEXT one (see {@link SaslSslListener}), returning when it
	 * accepts connections on both.
	 * @param dataDir where the broker keeps its logs, settings and output
	 * @param port the PLAINTEXT client port; the controller uses {@code port + 1}
	 * @param secured the SASL_SSL listener, or {@code null} for none
	 */
	public static KafkaBrokerProcess start(Path dataDir, int port, SaslSslListener secured)
			throws IOException, InterruptedException {
		Node node = new Node(1, "127.0.0.1", port);
		KafkaBrokerProcess started = launch(dataDir, Uuid.randomUuid().toString(), node, List.of(node),
				List.of(SINGLE_NODE_HEAP), List.of(), secured);
		started.awaitListening();
		if (secured != null) {
			started.awaitListening(new InetSocketAddress(node.host(), secured.port()));
		}
		return started;
	}

	/**
	 * Formats storage under {@code dataDir} (once, with the cluster's id) and starts the
	 * node without waiting for it: a node of a quorum only listens for clients once a
	 * majority of the voters runs, so the caller starts them all, then calls
	 * {@link #awaitListening} on each.
	 * @param dataDir where the node keeps its logs, settings and output
	 * @param clusterId the id every node of the cluster is formatted with
	 * @param node this node
	 * @param voters every node of the cluster (each a voter of the controller quorum)
	 * @param jvmOptions the node's JVM options (its heap, say)
	 * @param commandPrefix what the java command is run under ({@code ip netns exec ns},
	 * say), empty for nothing
	 */
	public static KafkaBrokerProcess launch(Path dataDir, String clusterId, Node node, List<Node> voters,
			List<String> jvmOptions, List<String> commandPrefix) throws IOException, InterruptedException {
		return launch(dataDir, clusterId, node, voters, jvmOptions, commandPrefix, null);
	}

	private static KafkaBrokerProcess launch(Path dataDir, String clusterId, Node node, List<Node> voters,
			List<String> jvmOptions, List<String> commandPrefix, SaslSslListener secured)
			throws IOException, InterruptedException {
		Files.createDirectories(dataDir);
		Path properties = writeServerProperties(dataDir, node, voters, secured);
		Path logbackConfig = writeLogbackConfig(dataDir);
		Path output = dataDir.resolve("broker.out");
		if (!Files.exists(dataDir.resolve("kraft-logs").resolve("meta.properties"))) {
			List<String> scramUsers = new ArrayList<>();
			if (secured != null) {
				secured.users()
					.forEach((user, password) -> scramUsers.addAll(List.of("--add-scram",
							SaslSslListener.MECHANISM + "=[name=" + user + ",password=" + password + "]")));
			}
			format(clusterId, properties, logbackConfig, output, jvmOptions, scramUsers);
		}
		ProcessBuilder builder = javaProcess(logbackConfig, jvmOptions, BrokerMain.class.getName(),
				properties.toString());
		if (!commandPrefix.isEmpty()) {
			List<String> command = new ArrayList<>(commandPrefix);
			command.addAll(builder.command());
			builder.command(command);
		}
		Process broker = builder.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
			.start();
		return new KafkaBrokerProcess(broker, node, dataDir, output);
	}

	/**
	 * Formats fresh storage; a data directory used before keeps its cluster id and data.
	 */
	private static void format(String clusterId, Path properties, Path logbackConfig, Path output,
			List<String> jvmOptions, List<String> extraArgs) throws IOException, InterruptedException {
		List<String> args = new ArrayList<>(
				List.of("format", "-t", clusterId, "-c", properties.toString(), "--ignore-formatted"));
		args.addAll(extraArgs);
		Process format = javaProcess(logbackConfig, jvmOptions, "kafka.tools.StorageTool", args.toArray(String[]::new))
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		if (!format.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
			format.destroyForcibly();
			throw new IllegalStateException("Formatting Kafka storage failed; see " + output + ":\n" + tail(output));
		}
	}

	/**
	 * A free loopback port whose successor is free too: a broker's client and controller
	 * ports ({@link LoopbackPorts#nextPair()}).
	 */
	public static int freePortPair() throws IOException {
		return new LoopbackPorts().nextPair();
	}

	/** The bootstrap address for clients. */
	public String bootstrapServers() {
		return this.node.address();
	}

	/** The node this process runs. */
	public Node node() {
		return this.node;
	}

	/** The broker's process id, for what the operating system says of it (CPU time). */
	public long pid() {
		return this.process.pid();
	}

	/** Whether the broker process is still running. */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Where the broker keeps its data and output. */
	public Path dataDir() {
		return this.dataDir;
	}

	/**
	 * Kills the broker as {@code kill -9} would: no clean shutdown, whatever the page
	 * cache holds survives for a restart on the same data directory.
	 */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor();
	}

	/**
	 * Stops the broker cleanly (closing its standard input), forcibly if it takes too
	 * long.
	 */
	@Override
	public void close() throws InterruptedException {
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// Already closed: the watchdog has seen the end of input anyway.
		}
		if (!this.process.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

	/**
	 * Waits until the node accepts client connections.
	 * @throws IllegalStateException when it exits or does not listen within 90 s
	 */
	public void awaitListening() throws InterruptedException {
		awaitListening(new InetSocketAddress(this.node.host(), this.node.port()));
	}

	private void awaitListening(InetSocketAddress address) throws InterruptedException {
		Path output = this.output;
		Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"Kafka broker exited during startup; see " + output + ":\n" + tail(output));
			}
			try (Socket socket = new Socket()) {
				socket.connect(address, 500);
				return;
			}
			catch (IOException ex) {
				// Not listening yet: wait for the process rather than spin.
				this.process.waitFor(200, TimeUnit.MILLISECONDS);
			}
		}
		this.process.destroyForcibly();
		throw new IllegalStateException(
				"Kafka broker did not listen on " + address + " within " + STARTUP_TIMEOUT + "; see " + output);
	}

	private static ProcessBuilder javaProcess(Path logbackConfig, List<String> jvmOptions, String mainClass,
			String... args) {
		List<String> options = new ArrayList<>(jvmOptions);
		options.add("-Dlogback.configurationFile=" + logbackConfig);
		return ChildJvm.builder(options, mainClass, List.of(args));
	}

	/**
	 * The node's settings. With several voters, the internal topics are replicated to
	 * three nodes (two in sync) and a dead node is fenced within three seconds rather
	 * than nine, so that a leader's failover stays well inside a producer's delivery
	 * timeout.
	 */
	private static Path writeServerProperties(Path dataDir, Node node, List<Node> voters, SaslSslListener secured)
			throws IOException {
		int replication = Math.min(3, voters.size());
		int minInSync = Math.max(1, replication - 1);
		List<String> lines = new ArrayList<>(List.of("process.roles=broker,controller", "node.id=" + node.id(),
				"controller.quorum.voters=" + String.join(",",
						voters.stream().map((voter) -> voter.id() + "@" + voter.controller()).toList()),
				"controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
				"log.dirs=" + dataDir.resolve("kraft-logs"), "num.partitions=6",
				"offsets.topic.replication.factor=" + replication, "offsets.topic.num.partitions=6",
				"transaction.state.log.replication.factor=" + replication, "transaction.state.log.min.isr=" + minInSync,
				"default.replication.factor=" + replication, "min.insync.replicas=" + minInSync,
				"group.initial.rebalance.delay.ms=0", "auto.create.topics.enable=false"));
		if (secured == null) {
			lines.addAll(List.of("listeners=PLAINTEXT://" + node.address() + ",CONTROLLER://" + node.controller(),
					"advertised.listeners=PLAINTEXT://" + node.address(),
					"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
		}
		else {
			lines.addAll(secured.serverProperties(node));
		}
		if (voters.size() > 1) {
			lines.addAll(List.of("broker.session.timeout.ms=3000", "broker.heartbeat.interval.ms=500",
					"unclean.leader.election.enable=false"));
		}
		lines.add("");
		String properties = String.join("\n", lines);
		Path file = dataDir.resolve("server.properties");
		Files.writeString(file, properties, StandardCharsets.UTF_8);
		return file;
	}

	private static Path writeLogbackConfig(Path dataDir) throws IOException {
		String config = """
				<configuration>
				  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
				    <file>%s</file>
				    <encoder><pattern>%%d{ISO8601} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern></encoder>
				  </appender>
				  <root level="INFO"><appender-ref ref="FILE"/></root>
				</configuration>
				""".formatted(dataDir.resolve("broker.log"));
		Path file = dataDir.resolve("broker-logback.xml");
		Files.writeString(file, config, StandardCharsets.UTF_8);
		return file;
	}

	/**
	 * One node of a cluster: its id, the address it binds and advertises, and its client
	 * port; its controller listens on the next port.
	 *
	 * @param id its {@code node.id}
	 * @param host the address it listens on and advertises (loopback, or a network
	 * namespace's address)
	 * @param port its client port
	 */
	public record Node(int id, String host, int port) {

		/** Its client address, {@code host:port}. */
		public String address() {
			return this.host + ":" + this.port;
		}

		/** Its controller address, {@code host:port+1}. */
		public String controller() {
			return this.host + ":" + (this.port + 1);
		}

	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
