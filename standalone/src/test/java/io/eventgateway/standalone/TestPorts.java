package io.eventgateway.standalone;

import java.io.IOException;

import io.eventgateway.standalone.process.LoopbackPorts;

/** Free loopback ports for tests that need a fixed port. */
final class TestPorts {

	/**
	 * One source for every test of this JVM, so that no two get the same port (or
	 * overlapping pairs) before either binds it.
	 */
	private static final LoopbackPorts PORTS = new LoopbackPorts();

	private TestPorts() {
	}

	/** A port free right now, below the ephemeral range ({@link LoopbackPorts}). */
	static int freePort() throws IOException {
		return PORTS.next();
	}

	/**
	 * A free port whose successor is free too: a broker's client and controller ports.
	 */
	static int freePortPair() throws IOException {
		return PORTS.nextPair();
	}

}
