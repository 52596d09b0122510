package io.eventgateway.standalone;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.event.Priority;
import io.eventgateway.worker.stats.WorkerStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standalone mode as a user runs it: a real broker in a child JVM, the config server
 * over config-repo/, every role, and the demo load; events of every priority flow, and
 * stopping leaves no broker behind.
 */
class StandaloneIT {

	@TempDir
	Path dataDir;

	@Test
	void demoShowsEventsOfEveryPriorityFlowingAndStopLeavesNothingRunning() throws Exception {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		StandaloneLauncher.Options options = new StandaloneLauncher.Options(true, 300, null, TestPorts.freePortPair(),
				this.dataDir, Path.of("../config-repo"), List.of("--gateway.topics.partitions=2"));
		StandaloneLauncher.Running running = StandaloneLauncher.start(options, GatewayCluster.Ports.random(),
				new PrintStream(output, true, StandardCharsets.UTF_8));
		try {
			WorkerStats stats = running.cluster().worker().getBean(WorkerStats.class);
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				for (Priority priority : Priority.values()) {
					assertThat(running.load().accepted(priority)).as("accepted %s", priority).isPositive();
					assertThat(stats.acked(priority)).as("processed %s", priority).isPositive();
				}
			});
			await().atMost(Duration.ofSeconds(30))
				.until(() -> output.toString(StandardCharsets.UTF_8).contains("P30 accepted="));
			assertThat(output.toString(StandardCharsets.UTF_8)).contains("Config server on", "Event Gateway is up",
					"P20 accepted=", "P10 accepted=", "latency p50=");
			// The management credentials made up for the run are in a file the output
			// names,
			// never on the console, and they open the management endpoints.
			Path credentials = this.dataDir.resolve(StandaloneLauncher.CREDENTIALS_FILE);
			String user = Files.readString(credentials);
			assertThat(output.toString(StandardCharsets.UTF_8)).contains(credentials.toAbsolutePath().toString())
				.doesNotContain(user.substring(user.indexOf(':') + 1));
			assertThat(refresh(running, user)).isEqualTo(200);
			assertThat(refresh(running, user + "x")).isEqualTo(401);
			// The roles read the hot settings of config-repo/ through the config server.
			assertThat(running.cluster().orchestrator().getEnvironment().getPropertySources().stream())
				.anyMatch((source) -> source.getName().contains("config-repo/orchestrator-app.yml"));
		}
		finally {
			running.close();
		}
		assertThat(running.broker().isAlive()).isFalse();
	}

	private static int refresh(StandaloneLauncher.Running running, String user) throws Exception {
		String port = running.cluster().orchestrator().getEnvironment().getRequiredProperty("local.server.port");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/refresh"))
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(60))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
