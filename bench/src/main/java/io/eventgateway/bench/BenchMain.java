package io.eventgateway.bench;

import java.io.PrintStream;

/**
 * Runs one benchmark scenario and writes its result as JSON and Markdown. Exits with 1
 * when an accepted event was lost, 2 on bad arguments.
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
		BenchResult result = run(options);
		System.out.println();
		System.out.println(result.markdown());
		System.out.println("Results in " + options.results().toAbsolutePath());
		System.exit((result.lost() == 0) ? 0 : 1);
	}

	/** Runs the scenario the options name and writes its result. */
	static BenchResult run(BenchOptions options) throws Exception {
		PrintStream out = options.out();
		out.println("Scenario " + options.scenario() + ", duration " + options.duration());
		BenchResult result = switch (options.scenario()) {
			case "raw-kafka" -> Scenarios.rawKafka(options);
			case "throughput" -> Scenarios.throughput(options);
			case "latency" -> Scenarios.latency(options);
			case "overload" -> Scenarios.overload(options);
			case "burst" -> Scenarios.burst(options);
			default -> throw new IllegalArgumentException(
					"Unknown scenario '" + options.scenario() + "'. " + BenchOptions.USAGE);
		};
		result.write(options.results());
		return result;
	}

}
