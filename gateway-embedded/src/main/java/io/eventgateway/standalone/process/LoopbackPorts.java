package io.eventgateway.standalone.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for processes that are told their port before they start, taken from
 * 20000 up to 30000 or to the start of the kernel's ephemeral range, whichever is lower
 * (Linux starts it at 32768 unless tuned). A port the kernel picks (a bind to port 0)
 * comes from that range, which is where every outgoing connection's local port comes from
 * too: in the seconds a child JVM takes to start, or while a killed one restarts, some
 * connection may take the port and the child fails with "address already in use". Below
 * the range only an explicit bind can take it. (30000 and up is left alone: it is where
 * Kubernetes' node ports start.) Where the ephemeral range leaves too little room below
 * it, the kernel picks, as before. One instance never hands out a port twice; another
 * instance, or another JVM, may hand out one this one has handed out and that is not
 * bound yet.
 */
public final class LoopbackPorts {

	private static final int LOWEST = 20000;

	private static final int HIGHEST_EXCLUSIVE = 30000;

	/** Fewer ports than this below the ephemeral range and the kernel picks instead. */
	private static final int LEAST_ROOM = 1000;

	private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

	private static final int ATTEMPTS = 500;

	private final Set<Integer> handedOut = new HashSet<>();

	private final int span;

	public LoopbackPorts() {
		this.span = Math.min(HIGHEST_EXCLUSIVE, ephemeralLow()) - LOWEST;
	}

	/** A port this instance has not handed out and that nothing listens on now. */
	public synchronized int next() throws IOException {
		if (this.span < LEAST_ROOM) {
			return kernelPicked();
		}
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = LOWEST + ThreadLocalRandom.current().nextInt(this.span);
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
			int port = (this.span < LEAST_ROOM) ? kernelPicked()
					: LOWEST + ThreadLocalRandom.current().nextInt(this.span - 1);
			if (port < 65535 && !this.handedOut.contains(port) && !this.handedOut.contains(port + 1) && free(port)
					&& free(port + 1)) {
				this.handedOut.add(port);
				this.handedOut.add(port + 1);
				return port;
			}
		}
		throw exhausted();
	}

	/**
	 * The first port of the kernel's ephemeral range; Linux's default where unreadable.
	 */
	private static int ephemeralLow() {
		try {
			// Read by lines: a file of /proc claims size 0, and a read sized by that
			// stops after its first byte.
			String range = Files.readAllLines(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).get(0).trim();
			return Integer.parseInt(range.split("\\s+")[0]);
		}
		catch (IOException | RuntimeException unreadable) {
			// Not Linux, or no /proc: taken to start where Linux's does (macOS and
			// Windows start theirs at 49152).
			return 32768;
		}
	}

	private static int kernelPicked() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
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

	private IOException exhausted() {
		return new IOException("no free loopback port in [" + LOWEST + ", " + (LOWEST + this.span) + ") after "
				+ ATTEMPTS + " attempts");
	}

}
