package io.eventgateway.standalone.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

import io.eventgateway.standalone.process.ChildJvm;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process),
 * run as a child JVM from the Apache Kafka jars on this application's classpath. Listens
 * on loopback only.
 *
 * <p>
 * The child exits when this JVM ends, however it ends (see {@link BrokerMain}).
 */
public final class KafkaBrokerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	private final Process process;

	private final int port;

	private final Path dataDir;

	private KafkaBrokerProcess(Process process, int port, Path dataDir) {
		this.process = process;
		this.port = port;
		this.dataDir = dataDir;
	}

	/**
	 * Formats storage under {@code dataDir} (once) and starts the broker, returning when
	 * it accepts connections.
	 * @param dataDir where the broker keeps its logs, settings and output
	 * @param port the client port; the controller uses {@code port + 1}
	 */
	public static KafkaBrokerProcess start(Path dataDir, int port) throws IOException, InterruptedException {
		Files.createDirectories(dataDir);
		Path properties = writeServerProperties(dataDir, port);
		Path logbackConfig = writeLogbackConfig(dataDir);
		Path output = dataDir.resolve("broker.out");
		if (!Files.exists(dataDir.resolve("kraft-logs").resolve("meta.properties"))) {
			format(properties, logbackConfig, output);
		}
		Process broker = javaProcess(logbackConfig, BrokerMain.class.getName(), properties.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
			.start();
		KafkaBrokerProcess started = new KafkaBrokerProcess(broker, port, dataDir);
		started.awaitPort(output);
		return started;
	}

	/**
	 * Formats fresh storage; a data directory used before keeps its cluster id and data.
	 */
	private static void format(Path properties, Path logbackConfig, Path output)
			throws IOException, InterruptedException {
		Process format = javaProcess(logbackConfig, "kafka.tools.StorageTool", "format", "-t",
				Uuid.randomUuid().toString(), "-c", properties.toString(), "--ignore-formatted")
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
	 * ports.
	 */
	public static int freePortPair() throws IOException {
		for (int attempt = 0; attempt < 20; attempt++) {
			try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				int port = first.getLocalPort();
				if (port < 65535) {
					try (ServerSocket second = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
						return port;
					}
					catch (IOException ex) {
						// Taken: try another pair.
					}
				}
			}
		}
		throw new IOException("no two consecutive free ports found");
	}

	/** The bootstrap address for clients. */
	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
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

	private void awaitPort(Path output) throws InterruptedException {
		Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"Kafka broker exited during startup; see " + output + ":\n" + tail(output));
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				return;
			}
			catch (IOException ex) {
				// Not listening yet: wait for the process rather than spin.
				this.process.waitFor(200, TimeUnit.MILLISECONDS);
			}
		}
		this.process.destroyForcibly();
		throw new IllegalStateException(
				"Kafka broker did not listen on port " + this.port + " within " + STARTUP_TIMEOUT + "; see " + output);
	}

	private static ProcessBuilder javaProcess(Path logbackConfig, String mainClass, String... args) {
		return ChildJvm.builder(List.of("-Xmx512m", "-Dlogback.configurationFile=" + logbackConfig), mainClass,
				List.of(args));
	}

	private static Path writeServerProperties(Path dataDir, int port) throws IOException {
		int controllerPort = port + 1;
		String properties = String.join("\n", "process.roles=broker,controller", "node.id=1",
				"controller.quorum.voters=1@127.0.0.1:" + controllerPort,
				"listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
				"advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
				"inter.broker.listener.name=PLAINTEXT",
				"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
				"log.dirs=" + dataDir.resolve("kraft-logs"), "num.partitions=6", "offsets.topic.replication.factor=1",
				"offsets.topic.num.partitions=6", "transaction.state.log.replication.factor=1",
				"transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0",
				"auto.create.topics.enable=false", "");
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
