package io.eventgateway.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.bench.chaos.ChaosRun;

/**
 * Runs one benchmark scenario and writes its result as JSON and Markdown. Exits with 1
 * when an accepted event was lost or another check failed, 2 on bad arguments.
 */
public final class BenchMain {

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options;
		try {
			options = BenchOptions.parse(args, System.out);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		List<BenchResult> results = ChaosRun.ALL.equals(options.scenario()) ? runChaosTour(options)
				: options.scenario().contains(",") ? runChaosTour(options, List.of(options.scenario().split(",")))
						: List.of(run(options));
		System.out.println();
		results.forEach((result) -> System.out.println(result.markdown()));
		System.out.println("Results in " + options.results().toAbsolutePath());
		System.exit(results.stream().allMatch(BenchResult::passed) ? 0 : 1);
	}

	/**
	 * Every chaos fault in turn on one cluster, each window {@code --duration} long: the
	 * single-instance faults, or with {@code --fleet} the fleet's own.
	 */
	static List<BenchResult> runChaosTour(BenchOptions options) throws Exception {
		return runChaosTour(options, options.fleet() ? ChaosRun.fleetScenarioList() : ChaosRun.scenarioList());
	}

	/**
	 * The chosen chaos faults ({@code --fault=a,b}) in turn on one cluster, each window
	 * {@code --duration} long.
	 */
	static List<BenchResult> runChaosTour(BenchOptions options, List<String> scenarios) throws Exception {
		List<BenchResult> results = ChaosRun.tour(scenarios, options.duration(), options.rate(), options.fleet(),
				options.netns(), options.out());
		for (BenchResult result : results) {
			result.write(options.results());
		}
		return results;
	}

	/**
	 * Runs the scenario the options name ({@code --repeat} times for a benchmark, once
	 * for a chaos scenario) and writes its result.
	 */
	static BenchResult run(BenchOptions options) throws Exception {
		PrintStream out = options.out();
		out.println("Scenario " + options.scenario() + ", duration " + options.duration());
		BenchResult result;
		if (ChaosRun.isScenario(options.scenario())) {
			result = ChaosRun.run(options.scenario(), options.duration(), options.rate(), options.fleet(),
					options.netns(), out);
		}
		else {
			List<BenchResult> runs = new ArrayList<>();
			for (int i = 1; i <= options.repeat(); i++) {
				if (options.repeat() > 1) {
					out.println("Run " + i + " of " + options.repeat());
				}
				runs.add(runOnce(options.once()));
			}
			result = RepeatedRuns.merge(runs);
		}
		result.write(options.results());
		return result;
	}

	private static BenchResult runOnce(BenchOptions options) throws Exception {
		return switch (options.scenario()) {
			case "raw-kafka" -> Scenarios.rawKafka(options);
			case "throughput" -> Scenarios.throughput(options);
			case "latency" -> Scenarios.latency(options);
			case "overload" -> Scenarios.overload(options);
			case "burst" -> Scenarios.burst(options);
			default -> throw new IllegalArgumentException(
					"Unknown scenario '" + options.scenario() + "'. " + BenchOptions.USAGE);
		};
	}

}
