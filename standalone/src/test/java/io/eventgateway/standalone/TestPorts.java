package io.eventgateway.standalone;

import java.io.IOException;

import io.eventgateway.standalone.broker.KafkaBrokerProcess;
import io.eventgateway.standalone.process.LoopbackPorts;

/** Free loopback ports for tests that need a fixed port. */
final class TestPorts {

	private TestPorts() {
	}

	/** A port free right now, below the ephemeral range ({@link LoopbackPorts}). */
	static int freePort() throws IOException {
		return new LoopbackPorts().next();
	}

	/**
	 * A free port whose successor is free too: a broker's client and controller ports.
	 */
	static int freePortPair() throws IOException {
		return KafkaBrokerProcess.freePortPair();
	}

}
