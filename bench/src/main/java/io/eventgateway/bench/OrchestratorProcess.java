package io.eventgateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.eventgateway.bench.chaos.RoleMain;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.standalone.process.ChildJvm;
import io.eventgateway.standalone.process.LoopbackPorts;

/**
 * The orchestrator in a JVM of its own (the burst scenario's), so that its heap, the
 * figure its memory thresholds are percentages of, is its alone and small. It ends with
 * this JVM, however this one ends; an {@code OutOfMemoryError} ends it at once (exit code
 * 3) rather than leaving a half-working process behind.
 */
final class OrchestratorProcess implements AutoCloseable {

	/** As long as the chaos runs give a role: a busy machine starts a JVM slowly. */
	private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(10);

	/** How many times it is started when a port it was given turns out taken. */
	private static final int PORT_ATTEMPTS = 3;

	/** What every report of a port taken says, in lower case. */
	private static final String IN_USE = "in use";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final Process process;

	private final int httpPort;

	private final int grpcPort;

	private final String authorization;

	private final Path log;

	private OrchestratorProcess(Process process, int httpPort, int grpcPort, String authorization, Path log) {
		this.process = process;
		this.httpPort = httpPort;
		this.grpcPort = grpcPort;
		this.authorization = authorization;
		this.log = log;
	}

	/**
	 * Starts the orchestrator on the broker with the JVM options and settings given, and
	 * returns once its health endpoint answers UP and its own login opens
	 * {@code /actuator/gateway}. Its ports ({@link LoopbackPorts}) are free when chosen,
	 * but another process may bind one before the orchestrator does (a busy machine takes
	 * seconds to start a JVM); it is then started again on new ones, a few times.
	 * @param folder where its console output goes ({@code orchestrator-app.log})
	 */
	static OrchestratorProcess start(String bootstrapServers, List<String> jvmOptions, List<String> settings,
			Path folder) throws IOException, InterruptedException {
		return start(bootstrapServers, jvmOptions, settings, folder, new LoopbackPorts()::next);
	}

	/** {@link #start(String, List, List, Path)} with its ports from {@code ports}. */
	static OrchestratorProcess start(String bootstrapServers, List<String> jvmOptions, List<String> settings,
			Path folder, Ports ports) throws IOException, InterruptedException {
		Files.createDirectories(folder);
		Path log = folder.resolve(OrchestratorApplication.ROLE + ".log");
		for (int attempt = 1;; attempt++) {
			long logStart = Files.exists(log) ? Files.size(log) : 0;
			OrchestratorProcess started = launch(bootstrapServers, jvmOptions, settings, folder, log, ports);
			try {
				started.awaitHealthy(logStart);
				return started;
			}
			catch (PortTakenException ex) {
				started.close();
				if (attempt == PORT_ATTEMPTS) {
					throw new IllegalStateException(
							"the orchestrator found a port taken at each of " + PORT_ATTEMPTS + " starts; see " + log,
							ex);
				}
			}
			catch (IOException | InterruptedException | RuntimeException ex) {
				started.close();
				throw ex;
			}
		}
	}

	private static OrchestratorProcess launch(String bootstrapServers, List<String> jvmOptions, List<String> settings,
			Path folder, Path log, Ports ports) throws IOException {
		int httpPort = ports.next();
		int grpcPort = ports.next();
		List<String> args = new ArrayList<>(List.of("ORCHESTRATOR",
				"--spring.kafka.bootstrap-servers=" + bootstrapServers, "--server.port=" + httpPort,
				"--server.address=127.0.0.1", "--spring.grpc.server.port=" + grpcPort,
				"--spring.grpc.server.host=127.0.0.1", "--spring.main.banner-mode=off",
				"--spring.cloud.bus.enabled=false", "--spring.cloud.config.enabled=false",
				"--gateway.topics.partitions=6", "--logging.level.root=WARN", "--logging.level.io.eventgateway=INFO"));
		args.addAll(settings);
		List<String> options = new ArrayList<>(jvmOptions);
		options.add("-XX:+ExitOnOutOfMemoryError");
		ProcessBuilder builder = ChildJvm.builder(options, RoleMain.class.getName(), args);
		// The management login goes through the environment, out of the command line.
		byte[] secret = new byte[18];
		new SecureRandom().nextBytes(secret);
		String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		builder.environment().put("GATEWAY_MANAGEMENT_USERNAME", "bench");
		builder.environment().put("GATEWAY_MANAGEMENT_PASSWORD", password);
		Process process = builder.directory(folder.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		return new OrchestratorProcess(process, httpPort, grpcPort,
				"Basic " + Base64.getEncoder().encodeToString(("bench:" + password).getBytes(StandardCharsets.UTF_8)),
				log);
	}

	/** The port its FetchTasks endpoint listens on. */
	int grpcPort() {
		return this.grpcPort;
	}

	/** Its console output. */
	Path log() {
		return this.log;
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Whether it ran out of heap: it exited with the code {@code ExitOnOutOfMemoryError}
	 * gives, or its output says so.
	 */
	boolean ranOutOfMemory() throws IOException {
		return (!this.process.isAlive() && this.process.exitValue() == 3)
				|| Files.readString(this.log, StandardCharsets.UTF_8).contains("OutOfMemoryError");
	}

	/** {@code /actuator/gateway}: buffer, held bytes and every source's gate. */
	JsonNode gatewayState() throws IOException, InterruptedException {
		return get("/actuator/gateway");
	}

	/** Bytes of heap in use now ({@code jvm.memory.used}, area heap). */
	long heapUsedBytes() throws IOException, InterruptedException {
		return get("/actuator/metrics/jvm.memory.used?tag=area:heap").path("measurements")
			.path(0)
			.path("value")
			.asLong(0);
	}

	/** The heap's maximum ({@code jvm.memory.max}, area heap). */
	long heapMaxBytes() throws IOException, InterruptedException {
		return get("/actuator/metrics/jvm.memory.max?tag=area:heap").path("measurements")
			.path(0)
			.path("value")
			.asLong(0);
	}

	private JsonNode get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
			.header("Authorization", this.authorization)
			.timeout(Duration.ofSeconds(5))
			.build();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("GET " + path + " on the orchestrator answered " + response.statusCode());
		}
		return this.json.readTree(response.body());
	}

	/**
	 * Waits until its health endpoint answers UP.
	 * @param logStart where this start's output begins in the log
	 * @throws PortTakenException when it exited because one of its ports was taken
	 */
	private void awaitHealthy(long logStart) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		// Health answers UP once the application is ready (its gRPC server bound too);
		// the web server answers before. Then an endpoint only its own login opens:
		// another gateway role that took the HTTP port answers that with 401.
		HttpRequest health = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		HttpRequest own = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/gateway"))
			.header("Authorization", this.authorization)
			.timeout(Duration.ofSeconds(2))
			.build();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				String output = outputSince(logStart);
				String exited = "the orchestrator exited with " + this.process.exitValue() + " while starting; see "
						+ this.log + ":\n" + lastLines(output, 40);
				if (portTaken(output, this.httpPort, this.grpcPort)) {
					throw new PortTakenException(exited);
				}
				throw new IllegalStateException(exited);
			}
			try {
				if (this.client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
						&& this.client.send(own, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
						&& this.process.isAlive()) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			this.process.waitFor(250, TimeUnit.MILLISECONDS);
		}
		throw new IllegalStateException("the orchestrator is not healthy within " + STARTUP_TIMEOUT + "; see "
				+ this.log + ":\n" + lastLines(outputSince(logStart), 40));
	}

	/**
	 * Whether the output says a port of these was taken: "Address already in use" on
	 * "/127.0.0.1:&lt;port&gt;" (gRPC, Netty), "Port &lt;port&gt; was already in use" or
	 * "port &lt;port&gt; … may already be in use" (HTTP, Spring Boot's reports). A bind
	 * failure of some other port (a debug agent's, say) is not cured by new ones.
	 */
	static boolean portTaken(String output, int httpPort, int grpcPort) {
		String text = output.toLowerCase(Locale.ROOT);
		return text.contains(IN_USE) && (text.contains(":" + grpcPort) || text.contains(":" + httpPort)
				|| text.contains("port " + httpPort));
	}

	private String outputSince(long logStart) throws IOException {
		byte[] all = Files.readAllBytes(this.log);
		int from = (int) Math.min(logStart, all.length);
		return new String(all, from, all.length - from, StandardCharsets.UTF_8);
	}

	/** Its last lines but stack frames: the messages and their causes. */
	private static String lastLines(String text, int count) {
		List<String> lines = text.lines().filter((line) -> !line.stripLeading().startsWith("at ")).toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
	}

	/** Stops it cleanly (its watchdog sees standard input close), forcibly after 30 s. */
	@Override
	public void close() throws InterruptedException {
		if (!this.process.isAlive()) {
			return;
		}
		try {
			this.process.getOutputStream().close();
		}
		catch (IOException ex) {
			// Already gone.
		}
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

	/** Where its ports come from: the HTTP port, then the gRPC port, at every start. */
	@FunctionalInterface
	interface Ports {

		int next() throws IOException;

	}

	/** It exited while starting because a port it was given was bound by then. */
	private static final class PortTakenException extends IllegalStateException {

		PortTakenException(String message) {
			super(message);
		}

	}

}
