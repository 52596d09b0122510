package io.eventgateway.standalone.process;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackPortsTests {

	private static final int[] LINUX_DEFAULT = { 32768, 60999 };

	@Test
	void portsAreDistinctAndOutsideTheEphemeralRange() throws Exception {
		LoopbackPorts ports = new LoopbackPorts(LINUX_DEFAULT);
		Set<Integer> seen = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			int port = ports.next();
			assertThat(port).isBetween(20000, 29999);
			assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
		}
	}

	@Test
	void aPairIsTwoFreeConsecutivePortsNotHandedOutBefore() throws Exception {
		LoopbackPorts ports = new LoopbackPorts(LINUX_DEFAULT);
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

	@Test
	void anEphemeralRangeOverlappingItsOwnLeavesThePickToTheKernelStillNeverTwice() throws Exception {
		LoopbackPorts ports = new LoopbackPorts(new int[] { 1024, 65535 });
		Set<Integer> seen = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			assertThat(seen.add(ports.next())).isTrue();
		}
		int pair = ports.nextPair();
		assertThat(seen).doesNotContain(pair, pair + 1);

		assertThat(ports.ownRange()).isFalse();
		assertThat(new LoopbackPorts(new int[] { 10000, 15000 }).ownRange()).isTrue();
		assertThat(new LoopbackPorts(new int[] { 29999, 40000 }).ownRange()).isFalse();
	}

	@Test
	void theRangeIsReadAsProcStatesItAndLinuxsDefaultOtherwise() {
		assertThat(LoopbackPorts.ephemeralRange("32768\t60999\n")).containsExactly(32768, 60999);
		assertThat(LoopbackPorts.ephemeralRange("1024 65535")).containsExactly(1024, 65535);
		assertThat(LoopbackPorts.ephemeralRange("")).containsExactly(32768, 60999);
		assertThat(LoopbackPorts.ephemeralRange("3")).containsExactly(32768, 60999);
	}

}
