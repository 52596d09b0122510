package io.eventgateway.standalone;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server, the {@code prometheus} binary in a child process, scraping
 * gateway roles on loopback every two seconds and evaluating a rules file every second.
 * Its configuration, data and log live in a directory of their own.
 */
final class PrometheusServer implements AutoCloseable {

	/**
	 * How often it scrapes each target, and how long a scrape may take: a busy machine
	 * may need more than a second to answer, and Prometheus refuses a timeout longer than
	 * the interval.
	 */
	static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);

	/** How often it evaluates the rules. */
	static final Duration EVALUATION_INTERVAL = Duration.ofSeconds(1);

	/** The command that installs the binary on Debian and Ubuntu. */
	static final String INSTALL_COMMAND = "sudo apt-get install -y prometheus";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Process process;

	private final Path log;

	private final int port;

	private PrometheusServer(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/**
	 * Starts Prometheus in {@code directory}, scraping each target's
	 * {@code /actuator/prometheus} and evaluating {@code rulesFile}, and waits until it
	 * is ready.
	 */
	static PrometheusServer start(Path directory, Path rulesFile, List<Target> targets) throws IOException {
		Path binary = binary();
		int port = TestPorts.freePort();
		Path config = directory.resolve("prometheus.yml");
		Files.writeString(config, config(rulesFile, targets));
		Path log = directory.resolve("prometheus.log");
		Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
				"--log.level=info")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, log, port);
		try {
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(server::ready);
			return server;
		}
		catch (RuntimeException | Error ex) {
			String output = server.log();
			server.close();
			throw new IllegalStateException("Prometheus did not become ready on port " + port + ":\n" + output, ex);
		}
	}

	/** Every scrape target with its last scrape's health and error. */
	List<TargetHealth> targets() throws IOException {
		List<TargetHealth> targets = new ArrayList<>();
		for (JsonNode target : get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
			targets
				.add(new TargetHealth(target.path("labels").path("job").asString(), target.path("scrapeUrl").asString(),
						target.path("health").asString(), target.path("lastError").asString()));
		}
		return targets;
	}

	/** Whether every configured target answered its last scrape. */
	boolean targetsUp() throws IOException {
		List<TargetHealth> targets = targets();
		return !targets.isEmpty() && targets.stream().allMatch((target) -> "up".equals(target.health()));
	}

	/** The alerts pending or firing now. */
	List<Alert> alerts() throws IOException {
		List<Alert> alerts = new ArrayList<>();
		for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
			Map<String, String> labels = new LinkedHashMap<>();
			alert.path("labels")
				.properties()
				.forEach((entry) -> labels.put(entry.getKey(), entry.getValue().asString()));
			alerts.add(new Alert(labels.get("alertname"), alert.path("state").asString(), labels,
					alert.path("value").asString()));
		}
		return alerts;
	}

	/**
	 * When each rule group was last evaluated, by group name; a group not yet evaluated
	 * has a time long before the epoch.
	 */
	Map<String, Instant> ruleGroupEvaluations() throws IOException {
		Map<String, Instant> evaluations = new LinkedHashMap<>();
		for (JsonNode group : get("/api/v1/rules").path("data").path("groups")) {
			evaluations.put(group.path("name").asString(), Instant.parse(group.path("lastEvaluation").asString()));
		}
		return evaluations;
	}

	/** The names of the alerting rules Prometheus loaded. */
	List<String> alertRules() throws IOException {
		List<String> names = new ArrayList<>();
		for (JsonNode group : get("/api/v1/rules?type=alert").path("data").path("groups")) {
			for (JsonNode rule : group.path("rules")) {
				names.add(rule.path("name").asString());
			}
		}
		return names;
	}

	/** The result of an instant query: its {@code data.result} array. */
	JsonNode query(String expression) throws IOException {
		return get("/api/v1/query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8)).path("data")
			.path("result");
	}

	/** What Prometheus logged, for failure messages. */
	String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private boolean ready() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("Prometheus exited with " + this.process.exitValue());
		}
		try {
			return send("/-/ready").statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private JsonNode get(String path) throws IOException {
		HttpResponse<String> response = send(path);
		if (response.statusCode() != 200) {
			throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return json.readTree(response.body());
	}

	private HttpResponse<String> send(String path) throws IOException {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	private static String config(Path rulesFile, List<Target> targets) {
		StringBuilder config = new StringBuilder();
		config.append("global:\n")
			.append("  scrape_interval: ")
			.append(SCRAPE_INTERVAL.toSeconds())
			.append("s\n")
			.append("  scrape_timeout: ")
			.append(SCRAPE_INTERVAL.toSeconds())
			.append("s\n")
			.append("  evaluation_interval: ")
			.append(EVALUATION_INTERVAL.toSeconds())
			.append("s\n")
			.append("rule_files:\n")
			.append("  - '")
			.append(rulesFile.toAbsolutePath())
			.append("'\n")
			.append("scrape_configs:\n");
		for (Target target : targets) {
			config.append("  - job_name: '")
				.append(target.job())
				.append("'\n")
				.append("    metrics_path: /actuator/prometheus\n")
				.append("    static_configs:\n")
				.append("      - targets: ['127.0.0.1:")
				.append(target.port())
				.append("']\n");
		}
		return config.toString();
	}

	/**
	 * The binary on the PATH; fails, naming the install command, when there is none.
	 */
	static Path binary() {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(directory, "prometheus");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("The prometheus binary is not on the PATH; this test runs a real Prometheus"
				+ " server. Install it with: " + INSTALL_COMMAND);
	}

	/**
	 * A role to scrape.
	 *
	 * @param job the job name, which Prometheus adds to every series as {@code job}
	 * @param port the loopback port of the role's actuator
	 */
	record Target(String job, int port) {
	}

	/**
	 * A scrape target's state.
	 *
	 * @param job its job
	 * @param scrapeUrl the address scraped
	 * @param health {@code up}, {@code down} or {@code unknown}
	 * @param lastError why the last scrape failed, or empty
	 */
	record TargetHealth(String job, String scrapeUrl, String health, String lastError) {
	}

	/**
	 * An alert pending or firing.
	 *
	 * @param name the alert's name
	 * @param state {@code pending} or {@code firing}
	 * @param labels every label, the alert's name among them
	 * @param value the value of its expression when it became active
	 */
	record Alert(String name, String state, Map<String, String> labels, String value) {
	}

}
