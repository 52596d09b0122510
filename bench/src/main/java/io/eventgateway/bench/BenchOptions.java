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
 * @param warmUp how long the gateway (and the raw Kafka baseline) take load at least
 * before anything is measured, so that the measured load meets compiled code
 * @param warmUpLimit how long, in all, the throughput, latency, overload and raw-kafka
 * warm-ups may last (wall time) while the JIT compilers still use more than
 * {@link SettlingWarmUp#SETTLED_SHARE} of the measured processes' CPU; at least
 * {@code warmUp}, equal for a fixed warm-up, 0 with it
 * @param repeat how many times a benchmark scenario runs; each headline figure is the
 * median over the runs
 * @param p30Bound the P30 p99 latency a throughput step must stay under, over the step's
 * second half, to count as sustained
 * @param step how long each step of the throughput search offers its rate; its second
 * half is judged and must hold {@link ThroughputStep#MIN_JUDGED_SAMPLES} per-second
 * samples, so a step under about 20 s fails whatever the gateway does
 */
record BenchOptions(String scenario, Duration duration, Integer rate, int capacity, int factor, Path results,
		boolean fleet, boolean netns, PrintStream out, Duration warmUp, Duration warmUpLimit, int repeat,
		Duration p30Bound, Duration step) {

	/** The default least warm-up: see {@link #WARM_UP_RATE}. */
	static final Duration WARM_UP = Duration.ofSeconds(30);

	/**
	 * The default longest warm-up: on two shared cores the gateway's and the broker's JIT
	 * compilers settle after some minutes.
	 */
	static final Duration WARM_UP_LIMIT = Duration.ofMinutes(10);

	/**
	 * The highest rate a gateway warm-up offers. Passing HotSpot's C2 compile threshold
	 * (10,000 invocations) takes seconds at this rate, but compiling what passed it takes
	 * minutes on a small machine: {@link SettlingWarmUp} waits for that. A higher
	 * measured rate still starts some more compilation (larger batches take other paths).
	 */
	static final int WARM_UP_RATE = 2000;

	/**
	 * The default length of a throughput step: about 12 per-second samples in its judged
	 * second half, a margin over {@link ThroughputStep#MIN_JUDGED_SAMPLES}.
	 */
	static final Duration STEP = Duration.ofSeconds(24);

	/** The default bound on P30 p99 during a throughput step's second half. */
	static final Duration P30_BOUND = Duration.ofMillis(250);

	BenchOptions {
		if (repeat < 1) {
			throw new IllegalArgumentException("--repeat must be at least 1, was " + repeat);
		}
		if (warmUp.isNegative()) {
			throw new IllegalArgumentException("--warm-up must not be negative, was " + warmUp);
		}
		if (warmUpLimit.compareTo(warmUp) < 0) {
			throw new IllegalArgumentException(
					"--warm-up-limit must be at least --warm-up (" + warmUp + "), was " + warmUpLimit);
		}
		if (warmUp.isZero() && !warmUpLimit.isZero()) {
			throw new IllegalArgumentException("--warm-up-limit goes with a --warm-up above 0, was " + warmUpLimit);
		}
		if (p30Bound.isNegative() || p30Bound.isZero()) {
			throw new IllegalArgumentException("--p30-bound must be positive, was " + p30Bound);
		}
		if (step.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("--step must be at least 1s, was " + step);
		}
	}

	/**
	 * Options for a short run (the build's smoke tests): one run, a fixed warm-up of a
	 * sixth of the duration from 2 to 10 seconds, throughput steps of the default length
	 * (a short run sets its own with {@link #withStep}).
	 */
	BenchOptions(String scenario, Duration duration, Integer rate, int capacity, int factor, Path results,
			boolean fleet, PrintStream out) {
		this(scenario, duration, rate, capacity, factor, results, fleet, false, out, shortWarmUp(duration),
				shortWarmUp(duration), 1, P30_BOUND, STEP);
	}

	private static Duration shortWarmUp(Duration duration) {
		Duration sixth = duration.dividedBy(6);
		Duration least = Duration.ofSeconds(2);
		Duration most = Duration.ofSeconds(10);
		return (sixth.compareTo(least) < 0) ? least : (sixth.compareTo(most) > 0) ? most : sixth;
	}

	/** These options for one run of a repeated scenario. */
	BenchOptions once() {
		return new BenchOptions(this.scenario, this.duration, this.rate, this.capacity, this.factor, this.results,
				this.fleet, this.netns, this.out, this.warmUp, this.warmUpLimit, 1, this.p30Bound, this.step);
	}

	/** These options with throughput steps of another length. */
	BenchOptions withStep(Duration step) {
		return new BenchOptions(this.scenario, this.duration, this.rate, this.capacity, this.factor, this.results,
				this.fleet, this.netns, this.out, this.warmUp, this.warmUpLimit, this.repeat, this.p30Bound, step);
	}

	static final String USAGE = "Usage: java -jar bench/target/event-gateway-bench.jar"
			+ " raw-kafka|throughput|latency|overload|burst|" + ChaosRun.scenarios()
			+ " [--duration=30s] [--rate=N] [--capacity=300]" + " [--factor=4] [--results=DIR]"
			+ " [--warm-up=30s] [--warm-up-limit=10m] [--repeat=3] [--p30-bound=250ms] [--step=24s]"
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
		Duration warmUp = WARM_UP;
		Duration warmUpLimit = null;
		int repeat = 3;
		Duration p30Bound = P30_BOUND;
		Duration step = STEP;
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
			else if (arg.startsWith("--warm-up=")) {
				warmUp = duration(value, "--warm-up");
			}
			else if (arg.startsWith("--warm-up-limit=")) {
				warmUpLimit = duration(value, "--warm-up-limit");
			}
			else if (arg.startsWith("--repeat=")) {
				repeat = integer(value, "--repeat");
			}
			else if (arg.startsWith("--p30-bound=")) {
				p30Bound = duration(value, "--p30-bound");
			}
			else if (arg.startsWith("--step=")) {
				step = duration(value, "--step");
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
		if (warmUpLimit == null) {
			// A --warm-up longer than the default limit is a fixed warm-up of that
			// length; none is none.
			warmUpLimit = (warmUp.isZero() || warmUp.compareTo(WARM_UP_LIMIT) > 0) ? warmUp : WARM_UP_LIMIT;
		}
		return new BenchOptions(scenario, duration, rate, capacity, factor, results, fleet, netns, out, warmUp,
				warmUpLimit, repeat, p30Bound, step);
	}

	/** "30s", "5m", "1h" or an ISO-8601 duration. */
	static Duration duration(String text) {
		return duration(text, "--duration");
	}

	/** "250ms", "30s", "5m", "1h" or an ISO-8601 duration, for the named option. */
	static Duration duration(String text, String option) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		try {
			if (value.startsWith("p")) {
				return Duration.parse(value.toUpperCase(Locale.ROOT));
			}
			if (value.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
			}
			long amount = Long.parseLong(value.substring(0, value.length() - 1));
			return switch (value.charAt(value.length() - 1)) {
				case 's' -> Duration.ofSeconds(amount);
				case 'm' -> Duration.ofMinutes(amount);
				case 'h' -> Duration.ofHours(amount);
				default -> throw new NumberFormatException();
			};
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(option + " must look like 250ms, 30s, 5m or 1h, was " + text);
		}
	}

	private static int integer(String text, String option) {
		try {
			return Integer.parseInt(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(option + " must be a whole number, was " + text);
		}
	}

}
