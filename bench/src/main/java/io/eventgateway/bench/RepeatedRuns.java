package io.eventgateway.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.eventgateway.bench.series.Series;

/**
 * One result from several runs of a scenario: each numeric figure the median over the
 * runs (with every run's value beside it), the others as the first run had them; events
 * lost and failed checks over every run; every run's series.
 */
final class RepeatedRuns {

	private RepeatedRuns() {
	}

	static BenchResult merge(List<BenchResult> runs) {
		if (runs.size() == 1) {
			return runs.get(0);
		}
		BenchResult first = runs.get(0);
		Set<String> names = new LinkedHashSet<>();
		runs.forEach((run) -> names.addAll(run.figures().keySet()));
		Map<String, Object> figures = new LinkedHashMap<>();
		Map<String, Object> perRun = new LinkedHashMap<>();
		for (String name : names) {
			List<Object> values = runs.stream().map((run) -> run.figures().get(name)).toList();
			double[] numbers = values.stream()
				.filter((value) -> value instanceof Number)
				.mapToDouble((value) -> ((Number) value).doubleValue())
				.filter((value) -> !Double.isNaN(value))
				.toArray();
			if (numbers.length > 0) {
				figures.put(name, median(numbers));
				perRun.put(name, values);
			}
			else {
				figures.put(name, first.figures().get(name));
			}
		}
		figures.put("runs", runs.size());
		Map<String, Object> settings = new LinkedHashMap<>(first.settings());
		settings.put("repeat", runs.size() + " runs, each figure the median; every run's values under 'per run'");
		settings.put("per run", perRun);
		List<String> failures = new ArrayList<>();
		List<Series> series = new ArrayList<>();
		long lost = 0;
		for (int i = 0; i < runs.size(); i++) {
			BenchResult run = runs.get(i);
			lost += run.lost();
			for (String failure : run.failures()) {
				failures.add("run " + (i + 1) + ": " + failure);
			}
			series.addAll(run.series());
		}
		return new BenchResult(first.scenario(), settings, figures, lost, failures, series);
	}

	/** The median; for an even count, the mean of the middle two. */
	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
