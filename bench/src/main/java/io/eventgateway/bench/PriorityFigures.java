package io.eventgateway.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import io.eventgateway.common.event.Priority;

/**
 * Per-priority latency and SLO attainment of one system, as overload and burst report
 * them.
 */
final class PriorityFigures {

	private PriorityFigures() {
	}

	/**
	 * Adds, per priority that processed anything, its count, p50, p99 and the shares
	 * within 5 s, 1 min and 20 min (the three SLOs) under {@code "<system> <priority>"}.
	 */
	static void report(String system, Latencies latencies, Map<String, Object> figures) {
		for (Priority priority : List.of(Priority.P30, Priority.P20, Priority.P10)) {
			Histogram histogram = latencies.copy(priority);
			if (histogram.getTotalCount() == 0) {
				continue;
			}
			String prefix = system + " " + priority;
			figures.put(prefix + " events", histogram.getTotalCount());
			figures.put(prefix + " p50 ms", histogram.getValueAtPercentile(50) / 1000.0);
			figures.put(prefix + " p99 ms", histogram.getValueAtPercentile(99) / 1000.0);
			figures.put(prefix + " within 5s %", latencies.within(priority, TimeUnit.SECONDS.toMicros(5)));
			figures.put(prefix + " within 1m %", latencies.within(priority, TimeUnit.MINUTES.toMicros(1)));
			figures.put(prefix + " within 20m %", latencies.within(priority, TimeUnit.MINUTES.toMicros(20)));
		}
	}

}
