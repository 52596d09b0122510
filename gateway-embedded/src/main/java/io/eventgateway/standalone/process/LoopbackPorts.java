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
 * 20000 to 29999, outside the kernel's ephemeral range (Linux's is 32768 to 60999 unless
 * tuned). A port the kernel picks (a bind to port 0) comes from that range, which is
 * where every outgoing connection's local port comes from too: in the seconds a child JVM
 * takes to start, or while a killed one restarts, some connection may take the port and
 * the child fails with "address already in use". Outside the range only an explicit bind
 * can take it. (30000 and up is left alone: it is where Kubernetes' node ports start.)
 * Where the ephemeral range overlaps 20000 to 29999, the kernel picks, as before. One
 * instance never hands out a port twice; another instance, or another JVM, may hand out
 * one this one has handed out and that is not bound yet.
 */
public final class LoopbackPorts {

	private static final int LOWEST = 20000;

	private static final int SPAN = 10000;

	private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

	private static final int ATTEMPTS = 500;

	private final Set<Integer> handedOut = new HashSet<>();

	private final boolean ownRange;

	/** Ports outside the ephemeral range this machine has. */
	public LoopbackPorts() {
		this(ephemeralRange());
	}

	/**
	 * Ports outside this ephemeral range.
	 * @param ephemeral its first and last port
	 */
	LoopbackPorts(int[] ephemeral) {
		this.ownRange = ephemeral[1] < LOWEST || ephemeral[0] >= LOWEST + SPAN;
	}

	/** Whether its ports come from 20000 to 29999 rather than from the kernel. */
	boolean ownRange() {
		return this.ownRange;
	}

	/** A port this instance has not handed out and that nothing listens on now. */
	public synchronized int next() throws IOException {
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			int port = this.ownRange ? LOWEST + ThreadLocalRandom.current().nextInt(SPAN) : kernelPicked();
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
			int port = this.ownRange ? LOWEST + ThreadLocalRandom.current().nextInt(SPAN - 1) : kernelPicked();
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
	 * The ephemeral range as {@code /proc} states it ("32768\t60999"); Linux's default
	 * where there is none or it cannot be read.
	 */
	static int[] ephemeralRange(String line) {
		try {
			String[] bounds = line.trim().split("\\s+");
			return new int[] { Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]) };
		}
		catch (RuntimeException unreadable) {
			return new int[] { 32768, 60999 };
		}
	}

	private static int[] ephemeralRange() {
		try {
			// Read by lines: a file of /proc claims size 0, and a read sized by that has
			// been seen to stop after its first byte.
			return ephemeralRange(Files.readAllLines(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).get(0));
		}
		catch (IOException | RuntimeException unreadable) {
			// Not Linux, or no /proc: taken to be Linux's (macOS and Windows start theirs
			// at 49152).
			return ephemeralRange("");
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
		return new IOException("no free loopback port " + (this.ownRange ? "in [20000, 30000) " : "") + "after "
				+ ATTEMPTS + " attempts");
	}

}
