package io.eventgateway.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.eventgateway.embedded.ManagementLogin;
import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.standalone.broker.KafkaBrokerProcess;
import io.eventgateway.standalone.demo.DemoLoad;
import io.eventgateway.standalone.demo.DemoReporter;
import io.eventgateway.worker.stats.WorkerStats;

/**
 * The whole gateway on one machine: a real Kafka broker (KRaft, child process) and every
 * role.
 *
 * <pre>
 * java -jar event-gateway-standalone.jar [--demo] [--demo-rate=N] [--kafka=HOST:PORT]
 *     [--kafka-port=9092] [--data-dir=DIR] [--config-repo=DIR] [--any.spring.property=value ...]
 * </pre>
 *
 * {@code --kafka} uses an existing broker instead of starting one. The config server
 * serves {@code --config-repo} (by default {@code ./config-repo} when it exists) on port
 * 8888, so that editing a file there and calling {@code /actuator/busrefresh} changes the
 * running roles; it requires the account in {@code CONFIG_SERVER_USERNAME} /
 * {@code CONFIG_SERVER_PASSWORD}, or one generated for the run when they are unset. Other
 * {@code --key=value} arguments go to every role. The management endpoints that change
 * state take {@code --gateway.management.username/password} when given, else a pair made
 * up for the run and written to {@code management-credentials} in the data folder. Ctrl-C
 * stops everything, the broker included.
 */
public final class StandaloneLauncher {

	private static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);

	private static final int CONFIG_SERVER_PORT = 8888;

	/**
	 * The file, in the data folder, holding the management credentials made up for a run.
	 */
	static final String CREDENTIALS_FILE = "management-credentials";

	private StandaloneLauncher() {
	}

	public static void main(String[] args) throws Exception {
		Running running = start(Options.parse(args), GatewayCluster.Ports.defaults(), System.out);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("Stopping Event Gateway...");
			running.close();
			stopped.countDown();
		}, "standalone-shutdown"));
		stopped.await();
	}

	/** Starts the broker (unless one was given), every role and, if asked, the demo. */
	static Running start(Options options, GatewayCluster.Ports ports, PrintStream out)
			throws IOException, InterruptedException {
		Path dataDir = (options.dataDir() != null) ? options.dataDir() : Files.createTempDirectory("event-gateway-");
		KafkaBrokerProcess broker = null;
		String bootstrapServers = options.kafka();
		if (bootstrapServers == null) {
			out.println("Starting Kafka (KRaft) on 127.0.0.1:" + options.kafkaPort() + ", data in " + dataDir);
			broker = KafkaBrokerProcess.start(dataDir, options.kafkaPort());
			bootstrapServers = broker.bootstrapServers();
		}
		EmbeddedConfigServer configServer = null;
		if (options.configRepo() != null) {
			configServer = EmbeddedConfigServer.serving(options.configRepo(),
					ports.equals(GatewayCluster.Ports.defaults()) ? CONFIG_SERVER_PORT : 0);
			out.println("Config server on " + configServer.url() + ", serving " + options.configRepo());
		}
		List<String> roleArgs = new ArrayList<>(options.roleArgs());
		if (configServer != null) {
			roleArgs.addAll(0, configServer.clientArgs());
		}
		// One console for every role: each line names its role through the logger
		// instead.
		roleArgs.add(0, "--logging.include-application-name=false");
		GatewayCluster cluster;
		try {
			cluster = GatewayCluster.start(new GatewayCluster.Settings(bootstrapServers, ports, roleArgs), true, null);
		}
		catch (RuntimeException ex) {
			closeAll(configServer, broker);
			throw ex;
		}
		out.println("Event Gateway is up: POST http://127.0.0.1:" + cluster.ingestHttpPort()
				+ "/v1/events (gRPC ingest on 127.0.0.1:" + cluster.ingestGrpcPort() + ", Kafka " + bootstrapServers
				+ ")");
		out.println(managementNotice(cluster, dataDir));
		DemoLoad load = options.demo() ? DemoLoad.start(cluster.ingestGrpcPort(), options.demoRate()) : null;
		DemoReporter reporter = (load != null)
				? DemoReporter.start(load, cluster.worker().getBean(WorkerStats.class), out, REPORT_INTERVAL) : null;
		return new Running(broker, configServer, cluster, load, reporter);
	}

	/**
	 * Where the management endpoints are and how to authenticate to them: the credentials
	 * made up for this run go to a file only the user can read (never to the console,
	 * which may end up in a shared log).
	 */
	private static String managementNotice(GatewayCluster cluster, Path dataDir) throws IOException {
		String where = "Management (actuator): ingest on 127.0.0.1:" + cluster.ingestManagementPort()
				+ ", publisher, orchestrator and worker on their HTTP ports; refresh, busrefresh, gateway and metrics"
				+ " take HTTP Basic ";
		ManagementLogin login = cluster.management();
		if (!login.generated()) {
			return where + "with the --gateway.management.username/password given.";
		}
		Path file = dataDir.resolve(CREDENTIALS_FILE);
		OwnerOnlyFile.write(file, login.curlUser());
		return where + "with the user:password in " + file.toAbsolutePath() + ", for example: curl -u \"$(cat "
				+ file.toAbsolutePath() + ")\" -X POST http://127.0.0.1:"
				+ cluster.orchestrator().getEnvironment().getProperty("local.server.port") + "/actuator/refresh";
	}

	private static void closeAll(AutoCloseable... resources) {
		for (AutoCloseable resource : resources) {
			if (resource != null) {
				try {
					resource.close();
				}
				catch (Exception ex) {
					System.err.println("Error while stopping: " + ex);
				}
			}
		}
	}

	/**
	 * A running standalone gateway.
	 *
	 * @param broker the broker this process started, or {@code null} when given one
	 * @param configServer the config server, or {@code null} when there is no config-repo
	 * @param cluster the roles
	 * @param load the demo load, or {@code null}
	 * @param reporter the demo report, or {@code null}
	 */
	record Running(KafkaBrokerProcess broker, EmbeddedConfigServer configServer, GatewayCluster cluster, DemoLoad load,
			DemoReporter reporter) implements AutoCloseable {

		/** Stops the demo, then the roles, then the config server and the broker. */
		@Override
		public void close() {
			closeAll(this.reporter, this.load, this.cluster, this.configServer, this.broker);
		}

	}

	/**
	 * Command-line options.
	 *
	 * @param demo whether to send sample events and print progress
	 * @param demoRate sample events per second
	 * @param kafka an existing broker's bootstrap address, or {@code null} to start one
	 * @param kafkaPort the port of the broker to start
	 * @param dataDir where the started broker keeps its data, or {@code null} for a new
	 * temporary folder
	 * @param configRepo the folder of settings files the config server serves, or
	 * {@code null} for no config server
	 * @param roleArgs arguments passed on to every role
	 */
	record Options(boolean demo, int demoRate, String kafka, int kafkaPort, Path dataDir, Path configRepo,
			List<String> roleArgs) {

		static Options parse(String[] args) throws IOException {
			boolean demo = false;
			int demoRate = 500;
			String kafka = null;
			int kafkaPort = 9092;
			Path dataDir = null;
			Path configRepo = Files.isDirectory(Path.of("config-repo")) ? Path.of("config-repo") : null;
			List<String> roleArgs = new ArrayList<>();
			for (String arg : args) {
				if (arg.equals("--demo")) {
					demo = true;
				}
				else if (arg.startsWith("--demo-rate=")) {
					demoRate = Integer.parseInt(value(arg));
				}
				else if (arg.startsWith("--kafka=")) {
					kafka = value(arg);
				}
				else if (arg.startsWith("--kafka-port=")) {
					kafkaPort = Integer.parseInt(value(arg));
				}
				else if (arg.startsWith("--data-dir=")) {
					dataDir = Path.of(value(arg));
				}
				else if (arg.startsWith("--config-repo=")) {
					configRepo = Path.of(value(arg));
					if (!Files.isDirectory(configRepo)) {
						throw new IllegalArgumentException(
								"--config-repo: no folder at " + configRepo.toAbsolutePath());
					}
				}
				else if (arg.startsWith("--") && arg.contains("=")) {
					roleArgs.add(arg);
				}
				else {
					throw new IllegalArgumentException("Unknown argument '" + arg + "'. Usage: [--demo] [--demo-rate=N]"
							+ " [--kafka=HOST:PORT] [--kafka-port=PORT] [--data-dir=DIR] [--config-repo=DIR]"
							+ " [--spring.property=value ...]");
				}
			}
			return new Options(demo, demoRate, kafka, kafkaPort, dataDir, configRepo, roleArgs);
		}

		private static String value(String arg) {
			return arg.substring(arg.indexOf('=') + 1);
		}

	}

}
