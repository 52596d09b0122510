package io.eventgateway.standalone;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for tests that need a fixed port. */
final class TestPorts {

	private TestPorts() {
	}

	/** A port free right now. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A free port whose successor is free too: a broker's client and controller ports.
	 */
	static int freePortPair() throws IOException {
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
