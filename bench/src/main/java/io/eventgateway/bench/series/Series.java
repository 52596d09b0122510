package io.eventgateway.bench.series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.HdrHistogram.Histogram;

/**
 * A scenario's per-second series, and the figures taken over a window of it (a step, its
 * second half, the steady part of a run).
 *
 * @param name what the series shows, for its chart
 * @param samples one per second, in order
 * @param processes the processes whose CPU time each sample holds
 * @param failedSamples samples that could not be taken (each logged where it failed)
 */
public record Series(String name, List<SecondSample> samples, List<MeteredProcess> processes, long failedSamples) {

	public Series {
		samples = List.copyOf(samples);
		processes = List.copyOf(processes);
	}

	/** The samples of one phase, in order. */
	public List<SecondSample> phase(String phase) {
		return this.samples.stream().filter((sample) -> phase.equals(sample.phase())).toList();
	}

	/**
	 * The samples that end after {@code from} and by {@code to} seconds (plus a quarter
	 * of a sample's second, for a sample taken just after), in order.
	 */
	public List<SecondSample> between(double from, double to) {
		return this.samples.stream().filter((sample) -> sample.at() > from && sample.at() <= to + 0.25).toList();
	}

	/**
	 * The later half of a window (its ramp-up left out), at least its last sample when it
	 * holds any.
	 */
	public static List<SecondSample> secondHalf(List<SecondSample> window) {
		return window.subList(window.size() / 2, window.size());
	}

	/**
	 * P30 latencies over a window, merged at the per-second histograms' precision (two
	 * significant digits): merged into finer buckets, each would count at its bucket's
	 * lowest value, and a percentile would read up to 1% low; at the same precision it
	 * reads its bucket's highest value, never below what was recorded.
	 */
	public static Histogram p30(List<SecondSample> window) {
		Histogram merged = new Histogram(2);
		window.stream().filter((sample) -> sample.p30() != null).forEach((sample) -> merged.add(sample.p30()));
		return merged;
	}

	/** Events offered over a window. */
	public static long offered(List<SecondSample> window) {
		return window.stream().mapToLong(SecondSample::offered).sum();
	}

	/** Events processed over a window. */
	public static long processed(List<SecondSample> window) {
		return window.stream().mapToLong(SecondSample::processed).sum();
	}

	/** Seconds a window covers. */
	public static double seconds(List<SecondSample> window) {
		return window.stream().mapToDouble(SecondSample::seconds).sum();
	}

	/**
	 * How much the backlog grew over a window, from a least-squares line through its
	 * samples (so that one noisy second does not decide), in events; 0 for fewer than two
	 * samples.
	 */
	public static double backlogGrowth(List<SecondSample> window) {
		int n = window.size();
		if (n < 2) {
			return 0;
		}
		double meanT = window.stream().mapToDouble(SecondSample::at).average().orElse(0);
		double meanB = window.stream().mapToDouble(SecondSample::backlog).average().orElse(0);
		double covariance = 0;
		double variance = 0;
		for (SecondSample sample : window) {
			covariance += (sample.at() - meanT) * (sample.backlog() - meanB);
			variance += (sample.at() - meanT) * (sample.at() - meanT);
		}
		double slope = (variance > 0) ? covariance / variance : 0;
		return slope * (window.get(n - 1).at() - window.get(0).at() + window.get(0).seconds());
	}

	/**
	 * CPU microseconds per processed event over a window, added up over the processes of
	 * the given roles; NaN when nothing was processed.
	 */
	public double cpuMicrosPerEvent(List<SecondSample> window, Set<ProcessRole> roles) {
		long processed = processed(window);
		if (processed == 0) {
			return Double.NaN;
		}
		long nanos = 0;
		for (MeteredProcess process : this.processes) {
			if (roles.contains(process.role())) {
				for (SecondSample sample : window) {
					nanos += sample.cpuNanos().getOrDefault(process.name(), 0L);
				}
			}
		}
		return nanos / 1000.0 / processed;
	}

	/**
	 * The CPU figures of a window into {@code figures}: microseconds per processed event
	 * for the gateway's JVMs, the broker, both together, and the load generator apart;
	 * and, when the series follows them, how much of the gateway's and the broker's was
	 * their JIT compilers'.
	 */
	public void reportCpu(String prefix, List<SecondSample> window, Map<String, Object> figures) {
		figures.put(prefix + " CPU µs per event, gateway JVM(s)",
				cpuMicrosPerEvent(window, Set.of(ProcessRole.GATEWAY)));
		figures.put(prefix + " CPU µs per event, broker", cpuMicrosPerEvent(window, Set.of(ProcessRole.BROKER)));
		figures.put(prefix + " CPU µs per event, gateway and broker",
				cpuMicrosPerEvent(window, Set.of(ProcessRole.GATEWAY, ProcessRole.BROKER)));
		figures.put(prefix + " CPU µs per event, load generator (apart)",
				cpuMicrosPerEvent(window, Set.of(ProcessRole.LOAD_GENERATOR)));
		if (this.processes.stream().anyMatch((process) -> process.role() == ProcessRole.JIT_COMPILERS)) {
			figures.put(prefix + " CPU µs per event, of which JIT compilation (gateway and broker)",
					cpuMicrosPerEvent(window, Set.of(ProcessRole.JIT_COMPILERS)));
		}
	}

	/** The series as the JSON result holds it. */
	public Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("name", this.name);
		Map<String, String> processes = new LinkedHashMap<>();
		this.processes.forEach((process) -> processes.put(process.name(), process.role().label()));
		json.put("processes", processes);
		json.put("failedSamples", this.failedSamples);
		List<Map<String, Object>> seconds = new ArrayList<>();
		this.samples.forEach((sample) -> seconds.add(sample.toJson()));
		json.put("seconds", seconds);
		return json;
	}

}
