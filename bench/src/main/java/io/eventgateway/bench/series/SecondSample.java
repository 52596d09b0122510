package io.eventgateway.bench.series;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * One second of a series: what happened since the sample before.
 *
 * @param at seconds since the series began, at the end of this sample
 * @param seconds how long the sample covers (about one)
 * @param phase what the scenario was doing (a step, a drain, a baseline)
 * @param offered events offered during the sample
 * @param accepted events accepted during the sample
 * @param processed events processed during the sample
 * @param backlog events accepted and not yet processed at its end, since the series began
 * @param p30 the P30 latencies (microseconds) recorded during the sample, or {@code null}
 * @param cpuNanos CPU time each measured process used during the sample, by name
 * @param extras the scenario's own figures of this second
 */
public record SecondSample(double at, double seconds, String phase, long offered, long accepted, long processed,
		long backlog, Histogram p30, Map<String, Long> cpuNanos, Map<String, Double> extras) {

	/** P30 median latency in milliseconds, or NaN with no P30 sample in this second. */
	public double p30P50Millis() {
		return percentileMillis(50);
	}

	/** P30 99th-percentile latency in milliseconds, or NaN. */
	public double p30P99Millis() {
		return percentileMillis(99);
	}

	private double percentileMillis(double percentile) {
		return (this.p30 != null && this.p30.getTotalCount() > 0) ? this.p30.getValueAtPercentile(percentile) / 1000.0
				: Double.NaN;
	}

	/** The cores a process kept busy on average during this sample. */
	public double cores(String process) {
		return this.cpuNanos.getOrDefault(process, 0L) / 1e9 / this.seconds;
	}

	/** This second as the JSON series writes it: rates per second, CPU in cores. */
	public Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("t", round(this.at));
		json.put("phase", this.phase);
		json.put("offered/s", round(this.offered / this.seconds));
		json.put("accepted/s", round(this.accepted / this.seconds));
		json.put("processed/s", round(this.processed / this.seconds));
		json.put("backlog", this.backlog);
		json.put("P30 p50 ms", Double.isNaN(p30P50Millis()) ? null : p30P50Millis());
		json.put("P30 p99 ms", Double.isNaN(p30P99Millis()) ? null : p30P99Millis());
		Map<String, Object> cpu = new LinkedHashMap<>();
		this.cpuNanos.keySet().forEach((name) -> cpu.put(name, round(cores(name))));
		json.put("CPU cores", cpu);
		if (!this.extras.isEmpty()) {
			json.putAll(this.extras);
		}
		return json;
	}

	private static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

}
