package io.eventgateway.bench;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import io.eventgateway.common.event.Priority;

/**
 * Latency histograms per priority, in microseconds, shared by recording threads: over
 * everything recorded, and since the last {@link #takeInterval} for a per-second series.
 */
final class Latencies {

	private static final long HIGHEST = TimeUnit.HOURS.toMicros(2);

	/**
	 * The precision of the per-second histograms: two significant digits (within 1%),
	 * growing only as far as the values recorded. A series keeps one per second, and a
	 * three-digit histogram up to two hours takes 192 KB: 230 MB over an overload run's
	 * load and drain.
	 */
	private static final int INTERVAL_DIGITS = 2;

	private final Map<Priority, Histogram> histograms = new EnumMap<>(Priority.class);

	private final Map<Priority, Histogram> intervals = new EnumMap<>(Priority.class);

	Latencies() {
		for (Priority priority : Priority.values()) {
			this.histograms.put(priority, new Histogram(HIGHEST, 3));
			this.intervals.put(priority, new Histogram(INTERVAL_DIGITS));
		}
	}

	private long count;

	synchronized void record(Priority priority, long micros) {
		this.count++;
		long value = Math.max(0, Math.min(micros, HIGHEST));
		this.histograms.get(priority).recordValue(value);
		this.intervals.get(priority).recordValue(value);
	}

	/** How many latencies were recorded, every priority. */
	synchronized long count() {
		return this.count;
	}

	/** What was recorded for a priority since the last call, taken away. */
	synchronized Histogram takeInterval(Priority priority) {
		Histogram interval = this.intervals.get(priority);
		this.intervals.put(priority, new Histogram(INTERVAL_DIGITS));
		return interval;
	}

	synchronized Histogram copy(Priority priority) {
		return this.histograms.get(priority).copy();
	}

	/**
	 * p50/p99/p99.9 in milliseconds and the count, per priority, into {@code figures}.
	 */
	synchronized void report(String prefix, Map<String, Object> figures) {
		for (Priority priority : Priority.values()) {
			Histogram histogram = this.histograms.get(priority);
			if (histogram.getTotalCount() > 0) {
				figures.putAll(percentiles(prefix + " " + priority, histogram));
			}
		}
	}

	static Map<String, Object> percentiles(String prefix, Histogram histogram) {
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put(prefix + " p50 ms", histogram.getValueAtPercentile(50) / 1000.0);
		figures.put(prefix + " p99 ms", histogram.getValueAtPercentile(99) / 1000.0);
		figures.put(prefix + " p99.9 ms", histogram.getValueAtPercentile(99.9) / 1000.0);
		figures.put(prefix + " samples", histogram.getTotalCount());
		return figures;
	}

	/** The share (percent) of samples at or below a bound. */
	synchronized double within(Priority priority, long boundMicros) {
		Histogram histogram = this.histograms.get(priority);
		if (histogram.getTotalCount() == 0) {
			return 100.0;
		}
		return 100.0 * histogram.getCountBetweenValues(0, boundMicros) / histogram.getTotalCount();
	}

}
