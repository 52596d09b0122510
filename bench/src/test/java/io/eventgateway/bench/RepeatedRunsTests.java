package io.eventgateway.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedRunsTests {

	@Test
	void numericFiguresAreTheMedianOfTheRunsAndLossesAddUp() {
		BenchResult merged = RepeatedRuns.merge(List.of(run(900.0, "a", 0), run(1200.0, "b", 1), run(1000.0, "c", 0)));

		assertThat(merged.figures()).containsEntry("events/s", 1000.0)
			.containsEntry("steps", "run 1: a — run 2: b — run 3: c")
			.containsEntry("runs", 3)
			.doesNotContainKey("events/s" + RepeatedRuns.RUNS_WITHOUT_VALUE);
		assertThat(merged.lost()).isEqualTo(1);
		assertThat(merged.settings()).containsKey("per run");
		assertThat(merged.settings().get("median from run")).isEqualTo(Map.of("events/s", 3));
	}

	@Test
	void aRunWithoutAValueIsCountedAndNamedNotDropped() {
		BenchResult merged = RepeatedRuns
			.merge(List.of(run(900.0, "a", 0), run(Double.NaN, "b", 0), run(1000.0, "c", 0)));

		// Of the two runs with a value, the lower: one run's own figure.
		assertThat(merged.figures()).containsEntry("events/s", 900.0)
			.containsEntry("events/s" + RepeatedRuns.RUNS_WITHOUT_VALUE, 1);
		assertThat(merged.settings().get("runs without a value")).isEqualTo(Map.of("events/s", List.of(2)));
		assertThat(merged.settings().get("median from run")).isEqualTo(Map.of("events/s", 1));
	}

	@Test
	void everyRunWithoutAValueLeavesTheFigureNaN() {
		BenchResult merged = RepeatedRuns.merge(List.of(run(Double.NaN, "a", 0), run(Double.NaN, "b", 0)));

		assertThat((Double) merged.figures().get("events/s")).isNaN();
		assertThat(merged.figures()).containsEntry("events/s" + RepeatedRuns.RUNS_WITHOUT_VALUE, 2);
	}

	@Test
	void theMedianOfAnEvenCountIsTheLowerMiddleRun() {
		RepeatedRuns.Median median = RepeatedRuns.median(Arrays.asList(4.0, 1.0, 3.0, 2.0, Double.NaN, null));

		assertThat(median).isEqualTo(new RepeatedRuns.Median(2.0, 4));
	}

	@Test
	void aFlagIsRaisedWhenAnyRunRaisedIt() {
		BenchResult a = run(1.0, "a", 0);
		a.figures().put("ceiling hit", false);
		BenchResult b = run(2.0, "b", 0);
		b.figures().put("ceiling hit", true);

		assertThat(RepeatedRuns.merge(List.of(a, b)).figures()).containsEntry("ceiling hit", true);
	}

	@Test
	void aRunWithoutAFigureThatHasNoMedianIsNamedAsSuch() {
		BenchResult second = run(2.0, "b", 0);
		second.figures().remove("steps");

		assertThat(RepeatedRuns.merge(List.of(run(1.0, "a", 0), second)).figures()).containsEntry("steps",
				"run 1: a — run 2: (no value)");
	}

	@Test
	void oneRunIsItsOwnResult() {
		BenchResult only = run(5.0, "x", 0);

		assertThat(RepeatedRuns.merge(List.of(only))).isSameAs(only);
	}

	private static BenchResult run(double rate, String steps, long lost) {
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("events/s", rate);
		figures.put("steps", steps);
		return new BenchResult("throughput", Map.of("durationSeconds", 30), figures, lost);
	}

}
