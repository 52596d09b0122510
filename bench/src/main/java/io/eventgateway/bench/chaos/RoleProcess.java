package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.eventgateway.embedded.ManagementLogin;
import io.eventgateway.standalone.process.ChildJvm;

/**
 * One instance of a role running as its own OS process, which a chaos run kills, pauses
 * and restarts on the same ports.
 */
final class RoleProcess implements AutoCloseable {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Role role;

	private final String name;

	private final List<String> jvmOptions;

	private static final String LOOPBACK = "127.0.0.1";

	private final String httpHost;

	private final int httpPort;

	private final ManagementLogin management;

	private final List<String> args;

	private final Path output;

	private final List<String> commandPrefix;

	private Process process;

	/**
	 * @param role the role
	 * @param name this instance's name in logs and verdicts ({@code orchestrator-1})
	 * @param jvmOptions its JVM options (heap, collector)
	 * @param httpPort its management (actuator) port: ingest's management port, the HTTP
	 * port of the other roles
	 * @param management the management credentials it is given (through its environment,
	 * so that they stay out of its command line) and that its actuator calls send
	 * @param args its program arguments after the role
	 * @param output the file its console output is appended to
	 */
	RoleProcess(Role role, String name, List<String> jvmOptions, int httpPort, ManagementLogin management,
			List<String> args, Path output) {
		this(role, name, jvmOptions, LOOPBACK, httpPort, management, args, output, List.of());
	}

	/**
	 * An instance run under a command prefix: {@code ip netns exec <ns>}, say, for a role
	 * on a host of its own, whose HTTP server listens on {@code httpHost}.
	 */
	RoleProcess(Role role, String name, List<String> jvmOptions, String httpHost, int httpPort,
			ManagementLogin management, List<String> args, Path output, List<String> commandPrefix) {
		this.management = management;
		this.commandPrefix = List.copyOf(commandPrefix);
		this.httpHost = httpHost;
		this.role = role;
		this.name = name;
		this.jvmOptions = List.copyOf(jvmOptions);
		this.httpPort = httpPort;
		this.args = List.copyOf(args);
		this.output = output;
	}

	Role role() {
		return this.role;
	}

	/** This instance's name: its role, and its index when the role runs several. */
	String name() {
		return this.name;
	}

	/** Its program arguments after the role. */
	List<String> args() {
		return this.args;
	}

	int httpPort() {
		return this.httpPort;
	}

	/** Starts the process; {@link #awaitHealthy} says when it serves. */
	void start() throws IOException {
		List<String> all = new ArrayList<>();
		all.add(this.role.name());
		all.addAll(this.args);
		ProcessBuilder builder = ChildJvm.builder(this.jvmOptions, RoleMain.class.getName(), all);
		builder.environment().put("GATEWAY_MANAGEMENT_USERNAME", this.management.username());
		builder.environment().put("GATEWAY_MANAGEMENT_PASSWORD", this.management.password());
		if (!this.commandPrefix.isEmpty()) {
			List<String> command = new ArrayList<>(this.commandPrefix);
			command.addAll(builder.command());
			builder.command(command);
		}
		this.process = builder.directory(this.output.getParent().toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.output.toFile()))
			.start();
	}

	/** The current process's id: a new one after every restart. */
	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * {@code GET} of a path on its management port (actuator), with the management
	 * credentials; an unreachable process answers status 0 with the reason as body.
	 */
	Answer get(String path) throws InterruptedException {
		return get(path, Duration.ofSeconds(2));
	}

	/** {@link #get(String)} with a timeout of its own. */
	Answer get(String path, Duration timeout) throws InterruptedException {
		HttpRequest request = management(path).timeout(timeout).build();
		return send(request);
	}

	/**
	 * {@code POST} of an empty body to a path on its management port
	 * ({@code /actuator/refresh}, say), with the management credentials; an unreachable
	 * process answers status 0 with the reason as body.
	 */
	Answer post(String path) throws InterruptedException {
		HttpRequest request = management(path).timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return send(request);
	}

	private HttpRequest.Builder management(String path) {
		return HttpRequest.newBuilder(URI.create("http://" + this.httpHost + ":" + this.httpPort + path))
			.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString(this.management.curlUser().getBytes(StandardCharsets.UTF_8)));
	}

	private Answer send(HttpRequest request) throws InterruptedException {
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			return new Answer(0, "unreachable: " + ex);
		}
	}

	/** Waits until its health endpoint answers UP. */
	void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://" + this.httpHost + ":" + this.httpPort + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + "; see "
						+ this.output + ":\n" + tail());
			}
			try {
				if (this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			this.process.waitFor(250, TimeUnit.MILLISECONDS);
		}
		throw new IllegalStateException(this.name + " not healthy within " + timeout + "; see " + this.output);
	}

	/** {@code kill -9}: no shutdown hook, no goodbye to Kafka or to peers. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor();
	}

	/** {@code kill -STOP}: the process stays, frozen, holding its sockets. */
	void pause() throws IOException, InterruptedException {
		signal("STOP");
	}

	/** {@code kill -CONT}. */
	void resume() throws IOException, InterruptedException {
		signal("CONT");
	}

	private void signal(String name) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).inheritIO().start();
		if (kill.waitFor() != 0) {
			throw new IllegalStateException("kill -" + name + " " + this.process.pid() + " failed");
		}
	}

	/** Stops the process cleanly (its watchdog sees standard input close). */
	@Override
	public void close() throws InterruptedException {
		if (this.process == null || !this.process.isAlive()) {
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

	/**
	 * One HTTP answer.
	 *
	 * @param status its status, 0 when nothing answered
	 * @param body its body, or why nothing answered
	 */
	record Answer(int status, String body) {

		boolean ok() {
			return this.status == 200;
		}

	}

	private String tail() throws IOException {
		List<String> lines = Files.readAllLines(this.output);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
	}

}
