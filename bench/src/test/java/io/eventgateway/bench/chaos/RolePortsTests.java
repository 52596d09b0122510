package io.eventgateway.bench.chaos;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RolePortsTests {

	@Test
	void portsAreDistinctAndBelowTheEphemeralRange() throws Exception {
		RolePorts ports = new RolePorts();
		Set<Integer> seen = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			int port = ports.next();
			assertThat(port).isBetween(20000, 31999);
			assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
		}
	}

}
