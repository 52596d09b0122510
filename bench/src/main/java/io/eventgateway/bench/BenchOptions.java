package io.eventgateway.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.eventgateway.bench.chaos.ChaosRun;

/**
 * How a scenario runs.
 *
 * @param scenario its name
 * @param duration how long it runs, start-up not counted
 * @param rate a fixed offered rate (events/s), or {@code null} for the scenario's own
 * choice
 * @param capacity the workers' capacity (events/s) in overload and burst
 * @param factor overload's offered load as a multiple of the capacity
 * @param results where JSON and Markdown results go
 * @param fleet whether a chaos scenario runs on the fleet (3 brokers, orchestrator
 * replicas, several workers, publishers and ingest instances) rather than one of each
 * @param netns whether the fleet's processes each run on a host of their own in network
 * namespaces, as the network faults need (root only)
 * @param out where progress goes
 */
record BenchOptions(String scenario, Duration duration, Integer rate, int capacity, int factor, Path results,
		boolean fleet, boolean netns, PrintStream out) {

	BenchOptions(String scenario, Duration duration, Integer rate, int capacity, int factor, Path results,
			boolean fleet, PrintStream out) {
		this(scenario, duration, rate, capacity, factor, results, fleet, false, out);
	}

	static final String USAGE = "Usage: java -jar bench/target/event-gateway-bench.jar"
			+ " raw-kafka|throughput|latency|overload|burst|" + ChaosRun.scenarios()
			+ " [--duration=30s] [--rate=N] [--capacity=300]" + " [--factor=4] [--results=DIR]"
			+ "\n   or: java -jar bench/target/event-gateway-bench.jar chaos --fleet --fault="
			+ String.join("|", ChaosRun.fleetScenarioList())
			+ "[,<another fault>...] [--duration=60s] [--rate=N] [--results=DIR]"
			+ "\n   or (root): java -jar bench/target/event-gateway-bench.jar chaos --fleet --netns --fault="
			+ String.join("|", ChaosRun.networkScenarioList())
			+ "[,<another fault>...] [--duration=120s] [--rate=N] [--results=DIR]"
			+ "\n   or: java -jar bench/target/event-gateway-bench.jar chaos-all --fleet [--duration=60s] [--rate=N]"
			+ " [--results=DIR]";

	/** The command-line name that takes its chaos scenario from {@code --fault}. */
	static final String CHAOS = "chaos";

	static BenchOptions parse(String[] args, PrintStream out) {
		if (args.length == 0) {
			throw new IllegalArgumentException(USAGE);
		}
		Duration duration = Duration.ofSeconds(30);
		Integer rate = null;
		int capacity = 300;
		int factor = 4;
		Path results = Files.isDirectory(Path.of("bench")) ? Path.of("bench/target/results")
				: Path.of("target/results");
		boolean fleet = false;
		boolean netns = false;
		String scenario = args[0];
		String fault = null;
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			String value = arg.substring(arg.indexOf('=') + 1);
			if (arg.startsWith("--duration=")) {
				duration = duration(value);
			}
			else if (arg.startsWith("--rate=")) {
				rate = Integer.parseInt(value);
			}
			else if (arg.startsWith("--capacity=")) {
				capacity = Integer.parseInt(value);
			}
			else if (arg.startsWith("--factor=")) {
				factor = Integer.parseInt(value);
			}
			else if (arg.startsWith("--results=")) {
				results = Path.of(value);
			}
			else if (arg.equals("--fleet")) {
				fleet = true;
			}
			else if (arg.equals("--netns")) {
				netns = true;
			}
			else if (arg.startsWith("--fault=")) {
				fault = value;
			}
			else {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'. " + USAGE);
			}
		}
		if (CHAOS.equals(scenario)) {
			if (fault == null || !List.of(fault.split(",")).stream().allMatch(ChaosRun::isScenario)) {
				throw new IllegalArgumentException(
						"chaos needs --fault=<scenario>, one of " + ChaosRun.scenarios().replace("|" + ChaosRun.ALL, "")
								+ "|" + String.join("|", ChaosRun.fleetScenarioList()) + "|"
								+ String.join("|", ChaosRun.networkScenarioList()) + ", was " + fault + ". " + USAGE);
			}
			scenario = fault;
		}
		else if (fault != null) {
			throw new IllegalArgumentException("--fault goes with the chaos command only. " + USAGE);
		}
		if (fleet && !ChaosRun.ALL.equals(scenario)
				&& !List.of(scenario.split(",")).stream().allMatch(ChaosRun::isScenario)) {
			throw new IllegalArgumentException("--fleet goes with chaos scenarios only. " + USAGE);
		}
		if (netns && !fleet) {
			throw new IllegalArgumentException("--netns goes with --fleet. " + USAGE);
		}
		return new BenchOptions(scenario, duration, rate, capacity, factor, results, fleet, netns, out);
	}

	/** "30s", "5m", "1h" or an ISO-8601 duration. */
	static Duration duration(String text) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		if (value.startsWith("p")) {
			return Duration.parse(value.toUpperCase(Locale.ROOT));
		}
		long amount = Long.parseLong(value.substring(0, value.length() - 1));
		return switch (value.charAt(value.length() - 1)) {
			case 's' -> Duration.ofSeconds(amount);
			case 'm' -> Duration.ofMinutes(amount);
			case 'h' -> Duration.ofHours(amount);
			default -> throw new IllegalArgumentException("--duration must look like 30s, 5m or 1h, was " + text);
		};
	}

}
