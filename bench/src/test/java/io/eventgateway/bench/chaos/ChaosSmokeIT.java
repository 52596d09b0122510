package io.eventgateway.bench.chaos;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.eventgateway.bench.BenchResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short version of every chaos scenario, as one tour of one cluster: the broker and
 * each role as separate processes, each fault in turn under load, and the ledger's
 * verdict for each, which must be a pass.
 */
class ChaosSmokeIT {

	/**
	 * The process faults, which only a cluster of separate processes can show. The faults
	 * that kill nothing each have an IT of their own in the standalone module
	 * (ForeignRecordsIT, RetryAndDeadLetterIT, WorkerResilienceIT, BigEventsIT), and the
	 * whole tour, those included, is {@code chaos-all} (bench/README.md): kept out of the
	 * build for its time budget.
	 */
	private static final List<String> SCENARIOS = List.of("poison", "kill-worker", "kill-orchestrator",
			"pause-orchestrator", "kill-publisher", "kill-ingest", "kill-broker");

	@Test
	void everyFaultLosesNothingAndPassesEveryCheck() throws Exception {
		ByteArrayOutputStream progress = new ByteArrayOutputStream();

		List<BenchResult> results = ChaosRun.tour(SCENARIOS, Duration.ofSeconds(10), 100,
				new PrintStream(progress, true, StandardCharsets.UTF_8));

		assertThat(results).extracting(BenchResult::scenario).containsExactlyElementsOf(SCENARIOS);
		SoftAssertions softly = new SoftAssertions();
		for (BenchResult result : results) {
			String report = result.markdown();
			softly.assertThat(result.lost()).as(report).isZero();
			softly.assertThat(result.failures()).as(report).isEmpty();
			softly.assertThat((long) result.figures().get("events accepted")).as(report).isPositive();
		}
		// The figures of each fault, for the build log.
		results.forEach((result) -> System.out.println(result.markdown()));
		softly.assertAll();
	}

}
