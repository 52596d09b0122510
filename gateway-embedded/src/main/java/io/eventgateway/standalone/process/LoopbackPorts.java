package io.eventgateway.standalone.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for processes that are told their port before they start, taken below
 * the kernel's ephemeral range (32768 and up on Linux, 49152 and up elsewhere). A port
 * the kernel picks (a bind to port 0) comes from that range, which is where every
 * outgoing connection's local port comes from too: in the seconds a child JVM takes to
 * start, or while a killed one restarts, some connection may take the port and the child
 * fails with "address already in use". Below the range only an explicit bind can take it.
 * One instance never hands out a port twice.
 */
public final class LoopbackPorts {

	private static final int LOWEST = 20000;

	private static final int SPAN = 12000;

	private static final int ATTEMPTS = 500;

	private final Set<Integer> handedOut = new HashSet<>();

	/** A port this instance has not handed out and that nothing listens on now. */
	public synchronized int next() throws IOException {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = LOWEST + ThreadLocalRandom.current().nextInt(SPAN);
			if (this.handedOut.add(port) && free(port)) {
				return port;
			}
		}
		throw exhausted();
	}

	/**
	 * A port whose successor is free too, both not handed out before: a broker's client
	 * and controller ports.
	 */
	public synchronized int nextPair() throws IOException {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = LOWEST + ThreadLocalRandom.current().nextInt(SPAN - 1);
			if (!this.handedOut.contains(port) && !this.handedOut.contains(port + 1) && free(port) && free(port + 1)) {
				this.handedOut.add(port);
				this.handedOut.add(port + 1);
				return port;
			}
		}
		throw exhausted();
	}

	private static boolean free(int port) {
		try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException taken) {
			// Another process listens there.
			return false;
		}
	}

	private static IOException exhausted() {
		return new IOException(
				"no free loopback port in [" + LOWEST + ", " + (LOWEST + SPAN) + ") after " + ATTEMPTS + " attempts");
	}

}
