package io.eventgateway.bench;

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

import io.eventgateway.standalone.process.LoopbackPorts;

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
		LoopbackPorts loopback = new LoopbackPorts();
		try (BenchBroker broker = BenchBroker.start();
				ServerSocket taken = new ServerSocket(loopback.next(), 1, InetAddress.getLoopbackAddress())) {
			// HTTP free and gRPC taken, then HTTP taken, then free ones.
			Deque<Integer> given = new ArrayDeque<>(
					List.of(loopback.next(), taken.getLocalPort(), taken.getLocalPort()));
			OrchestratorProcess.Ports ports = () -> given.isEmpty() ? loopback.next() : given.poll();

			try (OrchestratorProcess orchestrator = OrchestratorProcess.start(broker.bootstrapServers(),
					List.of("-Xmx512m"), List.of(), this.folder, ports)) {
				String log = Files.readString(orchestrator.log(), StandardCharsets.UTF_8);
				assertThat(orchestrator.isAlive()).isTrue();
				assertThat(orchestrator.grpcPort()).as(log).isNotEqualTo(taken.getLocalPort());
				assertThat(orchestrator.gatewayState().path("replica").path("numberOfReplicas").asInt()).isEqualTo(1);
				assertThat(log.split("OrchestratorApplication - Starting OrchestratorApplication", -1)).as(log)
					.hasSize(4);
			}
		}
	}

}
