package io.eventgateway.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.IntCountsHistogram;

import io.eventgateway.common.event.Priority;

/**
 * What a processor did each second: events processed per offered priority and P30's
 * latency (millisecond resolution, so that a long run's seconds stay small in memory).
 *
 * <p>
 * Thread-safe: recorded from every processing thread.
 */
final class ProcessedSeries {

	private final long startNanos;

	private final Map<Long, Second> seconds = new TreeMap<>();

	ProcessedSeries(long startNanos) {
		this.startNanos = startNanos;
	}

	synchronized void record(long nowNanos, Priority priority, long latencyMicros) {
		long second = TimeUnit.NANOSECONDS.toSeconds(nowNanos - this.startNanos);
		Second entry = this.seconds.computeIfAbsent(second, (s) -> new Second());
		entry.processed.merge(priority, 1L, Long::sum);
		if (priority == Priority.P30) {
			entry.p30.recordValue(Math.max(1000, Math.min(latencyMicros, TimeUnit.HOURS.toMicros(2))));
		}
	}

	/** Each second that processed anything, oldest first. */
	synchronized List<ProcessedSecond> seconds() {
		List<ProcessedSecond> series = new ArrayList<>();
		this.seconds.forEach((second,
				entry) -> series.add(new ProcessedSecond(second, Map.copyOf(entry.processed),
						(entry.p30.getTotalCount() > 0) ? entry.p30.getValueAtPercentile(50) / 1000.0 : Double.NaN,
						(entry.p30.getTotalCount() > 0) ? entry.p30.getValueAtPercentile(99) / 1000.0 : Double.NaN)));
		return series;
	}

	/**
	 * One second of processing.
	 *
	 * @param second since the processor started or was last reset
	 * @param processed events processed, per offered priority
	 * @param p30p50Millis P30's median latency from intended send time, NaN without P30
	 * @param p30p99Millis P30's 99th percentile, NaN without P30
	 */
	record ProcessedSecond(long second, Map<Priority, Long> processed, double p30p50Millis, double p30p99Millis) {
	}

	private static final class Second {

		private final Map<Priority, Long> processed = new EnumMap<>(Priority.class);

		private final IntCountsHistogram p30 = new IntCountsHistogram(1000, TimeUnit.HOURS.toMicros(2), 2);

	}

}
