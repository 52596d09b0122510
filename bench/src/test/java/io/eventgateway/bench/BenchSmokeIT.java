package io.eventgateway.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario runs briefly to the end, loses no event, and writes its results. Speed
 * is not asserted: the figures are for the benchmarks themselves.
 */
class BenchSmokeIT {

	@TempDir
	Path results;

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "raw-kafka, 3, 500, 100", "throughput, 5, 100, 100", "latency, 4, 200, 100", "overload, 2, , 100",
			"burst, 4, , 200" })
	void runsToTheEndWithNothingLost(String scenario, int seconds, Integer rate, int capacity) throws Exception {
		ByteArrayOutputStream progress = new ByteArrayOutputStream();
		// Short throughput steps keep the smoke short: too short to be judged sustained.
		BenchOptions options = new BenchOptions(scenario, Duration.ofSeconds(seconds), rate, capacity, 2, this.results,
				false, new PrintStream(progress, true, StandardCharsets.UTF_8))
			.withStep(Duration.ofSeconds(2));

		BenchResult result = BenchMain.run(options);

		assertThat(result.lost()).as(progress.toString(StandardCharsets.UTF_8)).isZero();
		assertThat(result.figures()).isNotEmpty();
		assertThat(Files.readString(this.results.resolve(scenario + ".json"))).contains("\"cores\"",
				"\"lostEvents\" : 0");
		assertThat(Files.readString(this.results.resolve(scenario + ".md"))).contains("| lost events | 0 |");
		if (Set.of("raw-kafka", "throughput", "latency", "overload").contains(scenario)) {
			// The per-second series, in the JSON and drawn beside the Markdown.
			assertThat(Files.readString(this.results.resolve(scenario + ".json"))).contains("\"series\"");
			assertThat(this.results.resolve(scenario + ".svg")).isNotEmptyFile();
		}
		if (scenario.equals("latency")) {
			// How many calls the pipeline makes per event, for the figures to be read by.
			assertThat(result.figures())
				.hasEntrySatisfying("gRPC calls/s, ingest eventgateway.v1.IngestService/IngestEvents (measured phase)",
						(calls) -> assertThat((double) calls).isPositive())
				.hasEntrySatisfying("gRPC calls/s, ingest to publisher (measured phase)",
						(calls) -> assertThat((double) calls).isPositive());
		}
	}

}
