package io.eventgateway.bench;

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
			.containsEntry("steps", "a")
			.containsEntry("runs", 3);
		assertThat(merged.lost()).isEqualTo(1);
		assertThat(merged.settings()).containsKey("per run");
	}

	@Test
	void oneRunIsItsOwnResult() {
		BenchResult only = run(5.0, "x", 0);

		assertThat(RepeatedRuns.merge(List.of(only))).isSameAs(only);
		assertThat(RepeatedRuns.median(new double[] { 4, 1, 3, 2 })).isEqualTo(2.5);
	}

	private static BenchResult run(double rate, String steps, long lost) {
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("events/s", rate);
		figures.put("steps", steps);
		return new BenchResult("throughput", Map.of("durationSeconds", 30), figures, lost);
	}

}
