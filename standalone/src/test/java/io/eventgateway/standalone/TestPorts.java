package io.eventgateway.standalone;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import io.eventgateway.standalone.broker.KafkaBrokerProcess;

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
		return KafkaBrokerProcess.freePortPair();
	}

}
