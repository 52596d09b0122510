package io.eventgateway.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.eventgateway.bench.series.Series;

/**
 * One result from several runs of a scenario: each numeric figure the median over the
 * runs that have a value for it, always one run's own value (for an even count the lower
 * of the middle two), with the run it came from and every run's value beside it; a run
 * without a value (NaN or missing) is counted and named, never silently left out; a flag
 * (true/false) is true when any run's is; other figures (such as the throughput search's
 * steps) every run's value, each named by its run, so that the run a median came from can
 * be read beside it; events lost and failed checks over every run; every run's series.
 */
final class RepeatedRuns {

	/** The suffix of the figure that counts a figure's runs without a value. */
	static final String RUNS_WITHOUT_VALUE = " — runs without a value";

	private RepeatedRuns() {
	}

	/** Every run's value of a figure that has no median, as "run 1: … — run 2: …". */
	static String eachRun(List<Object> values) {
		StringBuilder joined = new StringBuilder();
		for (int i = 0; i < values.size(); i++) {
			joined.append((i == 0) ? "" : " — ")
				.append("run ")
				.append(i + 1)
				.append(": ")
				.append((values.get(i) != null) ? values.get(i) : "(no value)");
		}
		return joined.toString();
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
		Map<String, Integer> medianRun = new LinkedHashMap<>();
		Map<String, List<Integer>> withoutValue = new LinkedHashMap<>();
		for (String name : names) {
			List<Object> values = runs.stream().map((run) -> run.figures().get(name)).toList();
			if (values.stream().anyMatch(Boolean.class::isInstance)) {
				figures.put(name, values.stream().anyMatch(Boolean.TRUE::equals));
				perRun.put(name, values);
			}
			else if (values.stream().anyMatch(Number.class::isInstance)) {
				Median median = median(values);
				figures.put(name, (median != null) ? median.value() : Double.NaN);
				perRun.put(name, values);
				if (median != null) {
					medianRun.put(name, median.run());
				}
				List<Integer> missing = runsWithoutValue(values);
				if (!missing.isEmpty()) {
					withoutValue.put(name, missing);
					figures.put(name + RUNS_WITHOUT_VALUE, missing.size());
				}
			}
			else {
				figures.put(name, eachRun(values));
				perRun.put(name, values);
			}
		}
		figures.put("runs", runs.size());
		Map<String, Object> settings = new LinkedHashMap<>(first.settings());
		settings.put("repeat", runs.size() + " runs; each numeric figure the median of the runs with a value for it,"
				+ " one run's own value (the lower middle one for an even count), the run under 'median from run';"
				+ " runs without a value under 'runs without a value'; every run's values under 'per run'");
		settings.put("median from run", medianRun);
		settings.put("runs without a value", withoutValue);
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

	/**
	 * The median of the runs' values that are numbers and not NaN, and the run (from 1)
	 * it came from: for an even count the lower of the middle two, so that the figure is
	 * always one run's; {@code null} when no run has a value.
	 */
	static Median median(List<Object> values) {
		List<Median> numbers = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			if (values.get(i) instanceof Number number && !Double.isNaN(number.doubleValue())) {
				numbers.add(new Median(number, i + 1));
			}
		}
		if (numbers.isEmpty()) {
			return null;
		}
		numbers.sort(Comparator.comparingDouble((median) -> median.value().doubleValue()));
		return numbers.get((numbers.size() - 1) / 2);
	}

	/** The runs (from 1) whose value of a numeric figure is NaN or missing. */
	static List<Integer> runsWithoutValue(List<Object> values) {
		List<Integer> runs = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			if (!(values.get(i) instanceof Number number) || Double.isNaN(number.doubleValue())) {
				runs.add(i + 1);
			}
		}
		return runs;
	}

	/**
	 * A figure's median and where it came from.
	 *
	 * @param value one run's value
	 * @param run that run, from 1
	 */
	record Median(Number value, int run) {
	}

}
