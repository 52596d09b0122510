package io.eventgateway.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's orchestrator process starts again on new ports when one it was given is
 * bound by another process before it binds it (the race a busy machine loses).
 */
class OrchestratorProcessIT {

	@TempDir
	Path folder;

	@Test
	void startsAgainOnNewPortsWhenOneIsTaken() throws Exception {
		try (BenchBroker broker = BenchBroker.start();
				ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int free = freePort();
			// HTTP free and gRPC taken, then HTTP taken, then free ones.
			Deque<Integer> given = new ArrayDeque<>(List.of(free, taken.getLocalPort(), taken.getLocalPort()));
			OrchestratorProcess.Ports ports = () -> given.isEmpty() ? freePort() : given.poll();

			try (OrchestratorProcess orchestrator = OrchestratorProcess.start(broker.bootstrapServers(),
					List.of("-Xmx512m"), List.of(), this.folder, ports)) {
				assertThat(orchestrator.isAlive()).isTrue();
				assertThat(orchestrator.grpcPort()).isNotEqualTo(taken.getLocalPort());
				assertThat(orchestrator.gatewayState().path("replica").path("numberOfReplicas").asInt()).isEqualTo(1);
				String log = Files.readString(orchestrator.log(), StandardCharsets.UTF_8);
				assertThat(log.split("OrchestratorApplication - Starting OrchestratorApplication", -1)).hasSize(4);
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
