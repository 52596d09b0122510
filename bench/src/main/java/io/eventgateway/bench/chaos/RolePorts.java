package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for the roles of one cluster, taken below the kernel's ephemeral range
 * (32768 and up on Linux). A killed role restarts on its port; a port from the ephemeral
 * range could meanwhile become the local end of some outgoing connection, and the restart
 * would fail with "address already in use".
 */
final class RolePorts {

	private static final int LOWEST = 20000;

	private static final int SPAN = 12000;

	private static final int ATTEMPTS = 500;

	private final Set<Integer> handedOut = new HashSet<>();

	/** A port no other role of this cluster has and that nothing listens on now. */
	int next() throws IOException {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = LOWEST + ThreadLocalRandom.current().nextInt(SPAN);
			if (!this.handedOut.add(port)) {
				continue;
			}
			try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				return port;
			}
			catch (IOException taken) {
				// Another process listens there: try another.
			}
		}
		throw new IOException(
				"no free loopback port in [" + LOWEST + ", " + (LOWEST + SPAN) + ") after " + ATTEMPTS + " attempts");
	}

}
