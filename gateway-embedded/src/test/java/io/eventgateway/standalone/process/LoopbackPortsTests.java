package io.eventgateway.standalone.process;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackPortsTests {

	@Test
	void portsAreDistinctAndBelowTheEphemeralRange() throws Exception {
		LoopbackPorts ports = new LoopbackPorts();
		Set<Integer> seen = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			int port = ports.next();
			assertThat(port).isBetween(20000, 29999);
			assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
		}
	}

	@Test
	void aPairIsTwoFreeConsecutivePortsNotHandedOutBefore() throws Exception {
		LoopbackPorts ports = new LoopbackPorts();
		Set<Integer> seen = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			int port = ports.nextPair();
			assertThat(port).isBetween(20000, 29998);
			assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
			assertThat(seen.add(port + 1)).as("port %d handed out twice", port + 1).isTrue();
			try (ServerSocket first = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
					ServerSocket second = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
				assertThat(second.getLocalPort()).isEqualTo(first.getLocalPort() + 1);
			}
		}
	}

}
