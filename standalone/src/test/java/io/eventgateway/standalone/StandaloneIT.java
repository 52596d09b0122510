package io.eventgateway.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.worker.stats.WorkerStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standalone mode as a user runs it: a real broker in a child JVM, every role, and
 * the demo load; events of every priority flow, and stopping leaves no broker behind.
 */
class StandaloneIT {

	@TempDir
	Path dataDir;

	@Test
	void demoShowsEventsOfEveryPriorityFlowingAndStopLeavesNothingRunning() throws Exception {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		StandaloneLauncher.Options options = new StandaloneLauncher.Options(true, 300, null, freePortPair(),
				this.dataDir, List.of("--gateway.topics.partitions=2"));
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
			assertThat(output.toString(StandardCharsets.UTF_8)).contains("Event Gateway is up", "P20 accepted=",
					"P10 accepted=", "latency p50=");
		}
		finally {
			running.close();
		}
		assertThat(running.broker().isAlive()).isFalse();
	}

	/** A free port whose successor (the controller port) is free too. */
	private static int freePortPair() throws IOException {
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

}
