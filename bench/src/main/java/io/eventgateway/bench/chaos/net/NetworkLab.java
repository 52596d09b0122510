package io.eventgateway.bench.chaos.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts of a fleet in Linux network namespaces of the run's own making, joined by one
 * bridge per {@link Network}, so that a chaos run can cut or slow the link of one process
 * while its other links keep working: an orchestrator cut off the brokers that its
 * workers still reach, a broker cut off the others, a slow broker link.
 *
 * <p>
 * Layout: a hub namespace holds the bridges; every host is a namespace with one veth link
 * per network it joins, at {@code 10.<lab>.<network>.<host>} ({@code <lab>} from the
 * lab's id, so that two labs on one machine rarely share a subnet, which would confuse
 * the root namespace's routes); the harness itself (the root namespace) joins every
 * bridge at {@code .254} to start, probe and load the fleet. Traffic never leaves these
 * namespaces. Needs root and iproute2 ({@code ip}, {@code tc}); {@link #available()} says
 * whether this machine allows it.
 *
 * <p>
 * Not thread-safe: one chaos run drives it.
 */
public final class NetworkLab implements AutoCloseable {

	/** The links a host can have; each is one bridge in the hub. */
	public enum Network {

		/** Brokers and every Kafka client. */
		KAFKA(1),

		/** gRPC between roles: workers to orchestrators, ingest to publishers. */
		GRPC(2);

		private final int octet;

		Network(int octet) {
			this.octet = octet;
		}

		String bridge() {
			return "br-" + name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private static final int HARNESS_HOST = 254;

	private final String id;

	private final String hub;

	private final int subnet;

	private final Map<String, Host> hosts = new LinkedHashMap<>();

	private final List<String> harnessLinks = new ArrayList<>();

	private NetworkLab(String id) {
		this.id = id;
		this.hub = "eg" + id + "-hub";
		this.subnet = 100 + Math.floorMod(id.hashCode(), 100);
	}

	/**
	 * Whether network namespaces can be made here: root, {@code ip} on the path and a
	 * namespace that can be created and deleted.
	 */
	public static boolean available() {
		try {
			String probe = "egprobe" + ProcessHandle.current().pid();
			run("ip", "netns", "add", probe);
			run("ip", "netns", "del", probe);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Creates the hub with its bridges and joins the harness to them.
	 * @param id a short id, unique among runs on this machine (at most 5 characters,
	 * since Linux link names are at most 15)
	 */
	public static NetworkLab create(String id) throws IOException {
		if (!id.matches("[a-z0-9]{1,5}")) {
			throw new IllegalArgumentException("Lab id must be 1 to 5 lower-case letters or digits, was " + id);
		}
		NetworkLab lab = new NetworkLab(id);
		try {
			run("ip", "netns", "add", lab.hub);
			for (Network network : Network.values()) {
				lab.inHub("ip", "link", "add", network.bridge(), "type", "bridge");
				lab.inHub("ip", "link", "set", network.bridge(), "up");
				String harnessSide = "eg" + id + "h" + network.octet;
				String hubSide = "h" + network.octet;
				run("ip", "link", "add", harnessSide, "type", "veth", "peer", "name", hubSide, "netns", lab.hub);
				lab.harnessLinks.add(harnessSide);
				run("ip", "addr", "add", lab.address(network, HARNESS_HOST) + "/24", "dev", harnessSide);
				run("ip", "link", "set", harnessSide, "up");
				lab.inHub("ip", "link", "set", hubSide, "master", network.bridge());
				lab.inHub("ip", "link", "set", hubSide, "up");
			}
			return lab;
		}
		catch (IOException | RuntimeException ex) {
			lab.close();
			throw ex;
		}
	}

	/**
	 * Adds a host: a namespace with loopback up and one link per network.
	 * @param name a short name, unique in this lab (at most 6 characters)
	 * @param number its host number in every network, 1 to 253
	 * @param networks the networks it joins
	 */
	public Host host(String name, int number, Network... networks) throws IOException {
		if (!name.matches("[a-z0-9]{1,6}") || this.hosts.containsKey(name)) {
			throw new IllegalArgumentException(
					"Host name must be new and 1 to 6 lower-case letters or digits: " + name);
		}
		if (number < 1 || number >= HARNESS_HOST) {
			throw new IllegalArgumentException("Host number must be in [1, 253], was " + number);
		}
		String namespace = "eg" + this.id + "-" + name;
		run("ip", "netns", "add", namespace);
		Host host = new Host(namespace, this.subnet, number, List.of(networks));
		this.hosts.put(name, host);
		run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
		for (Network network : networks) {
			// Created inside their namespaces, so no name is ever taken in the root one.
			run("ip", "link", "add", "name", network.name().toLowerCase(java.util.Locale.ROOT), "netns", namespace,
					"type", "veth", "peer", "name", host.hubSide(network), "netns", this.hub);
			inHub("ip", "link", "set", host.hubSide(network), "master", network.bridge());
			inHub("ip", "link", "set", host.hubSide(network), "up");
			host.exec("ip", "addr", "add", host.address(network) + "/24", "dev", host.link(network));
			host.exec("ip", "link", "set", host.link(network), "up");
		}
		return host;
	}

	/** The prefix of every namespace of this lab, for logs and clean-up by hand. */
	public String name() {
		return "eg" + this.id;
	}

	/** The harness's own address on a network, for the hosts to reach it. */
	public String harnessAddress(Network network) {
		return address(network, HARNESS_HOST);
	}

	private String address(Network network, int host) {
		return address(this.subnet, network, host);
	}

	/** Cuts a host's link to a network: nothing passes until {@link #restore}. */
	public void cut(Host host, Network network) throws IOException {
		inHub("ip", "link", "set", host.hubSide(network), "down");
	}

	/** Brings a cut link back. */
	public void restore(Host host, Network network) throws IOException {
		inHub("ip", "link", "set", host.hubSide(network), "up");
	}

	/**
	 * Slows a host's link both ways with a token bucket: packets beyond the rate queue
	 * for up to {@code latencyMillis} (delay) and are dropped beyond it (loss).
	 */
	public void slow(Host host, Network network, String rate, int latencyMillis) throws IOException {
		List<String> tbf = List.of("tbf", "rate", rate, "burst", "16kb", "latency", latencyMillis + "ms");
		List<String> onHost = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", host.link(network), "root"));
		onHost.addAll(tbf);
		host.exec(onHost.toArray(String[]::new));
		List<String> onHub = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", host.hubSide(network), "root"));
		onHub.addAll(tbf);
		inHub(onHub.toArray(String[]::new));
	}

	/**
	 * Delays a host's link both ways and drops some of its packets: with {@code netem}
	 * when the kernel has it, else with the {@link #slow token bucket} of
	 * {@code fallbackRate} (queueing delay up to {@code delayMillis}, tail drop beyond),
	 * since not every kernel builds {@code sch_netem}.
	 * @return what was applied, for the run's record
	 */
	public String degrade(Host host, Network network, int delayMillis, int lossPercent, String fallbackRate)
			throws IOException {
		List<String> netem = List.of("netem", "delay", delayMillis + "ms", "loss", lossPercent + "%");
		List<String> onHost = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", host.link(network), "root"));
		onHost.addAll(netem);
		try {
			host.exec(onHost.toArray(String[]::new));
		}
		catch (IOException ex) {
			slow(host, network, fallbackRate, delayMillis);
			return "tbf rate " + fallbackRate + ", queue up to " + delayMillis
					+ " ms then tail drop, both ways (netem unavailable: " + ex.getMessage() + ")";
		}
		List<String> onHub = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", host.hubSide(network), "root"));
		onHub.addAll(netem);
		inHub(onHub.toArray(String[]::new));
		return "netem delay " + delayMillis + " ms, loss " + lossPercent + " %, both ways";
	}

	/**
	 * What the shaping of a host's link has done so far, both ways: proof that a
	 * {@link #slow} or {@link #degrade} took effect, which latencies measured on a busy
	 * machine cannot give. Read it before {@link #unslow}, which resets it.
	 */
	public Shaping shaping(Host host, Network network) throws IOException {
		return Shaping.parse(host.exec("tc", "-s", "qdisc", "show", "dev", host.link(network)))
			.plus(Shaping.parse(inHub("tc", "-s", "qdisc", "show", "dev", host.hubSide(network))));
	}

	/** Takes a {@link #slow} or {@link #degrade} shaping off again. */
	public void unslow(Host host, Network network) throws IOException {
		host.exec("tc", "qdisc", "del", "dev", host.link(network), "root");
		inHub("tc", "qdisc", "del", "dev", host.hubSide(network), "root");
	}

	/** Deletes every namespace and link of the lab; links go with their namespaces. */
	@Override
	public void close() {
		for (Host host : this.hosts.values()) {
			quietly("ip", "netns", "del", host.namespace());
		}
		for (String link : this.harnessLinks) {
			quietly("ip", "link", "del", link);
		}
		quietly("ip", "netns", "del", this.hub);
	}

	private String inHub(String... command) throws IOException {
		List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", this.hub));
		all.addAll(List.of(command));
		return run(all.toArray(String[]::new));
	}

	static String address(int subnet, Network network, int host) {
		return "10." + subnet + "." + network.octet + "." + host;
	}

	private static void quietly(String... command) {
		try {
			run(command);
		}
		catch (IOException ex) {
			// Already gone (a namespace takes its links with it).
		}
	}

	static String run(String... command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish within 30 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IOException("Interrupted running " + String.join(" ", command), ex);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		if (process.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
		}
		return output;
	}

	/**
	 * A host of the lab: a namespace, its address on each network it joins, and the
	 * command prefix that runs a process inside it.
	 *
	 * @param namespace the namespace's name
	 * @param subnet the lab's second address octet
	 * @param number its host number
	 * @param networks the networks it joins
	 */
	public record Host(String namespace, int subnet, int number, List<Network> networks) {

		/** The host's address on a network it joins. */
		public String address(Network network) {
			if (!this.networks.contains(network)) {
				throw new IllegalArgumentException(this.namespace + " does not join " + network);
			}
			return NetworkLab.address(this.subnet, network, this.number);
		}

		/** Prepended to a command, runs it inside this host's namespace. */
		public List<String> commandPrefix() {
			return List.of("ip", "netns", "exec", this.namespace);
		}

		String link(Network network) {
			return network.name().toLowerCase(java.util.Locale.ROOT);
		}

		String hubSide(Network network) {
			return "n" + this.number + "-" + network.octet;
		}

		String exec(String... command) throws IOException {
			List<String> all = new ArrayList<>(commandPrefix());
			all.addAll(List.of(command));
			return run(all.toArray(String[]::new));
		}

	}

}
