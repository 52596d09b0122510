package io.eventgateway.standalone.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import io.eventgateway.common.event.Priority;
import io.eventgateway.worker.stats.WorkerStats;

/**
 * Prints, at a fixed interval, per priority: events accepted by ingest, events processed
 * by the worker, and the ingest-to-worker latency (p50, p99) over the interval.
 */
public final class DemoReporter implements AutoCloseable {

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor((runnable) -> new Thread(runnable, "demo-report"));

	private final DemoLoad load;

	private final WorkerStats stats;

	private final PrintStream out;

	private final long startNanos = System.nanoTime();

	private DemoReporter(DemoLoad load, WorkerStats stats, PrintStream out) {
		this.load = load;
		this.stats = stats;
		this.out = out;
	}

	/** Starts reporting every {@code interval}. */
	public static DemoReporter start(DemoLoad load, WorkerStats stats, PrintStream out, Duration interval) {
		DemoReporter reporter = new DemoReporter(load, stats, out);
		reporter.scheduler.scheduleAtFixedRate(reporter::report, interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
		return reporter;
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	private void report() {
		StringBuilder line = new StringBuilder();
		line.append(String.format("[demo %4ds]", Duration.ofNanos(System.nanoTime() - this.startNanos).toSeconds()));
		for (Priority priority : DemoLoad.reportOrder()) {
			Histogram latency = this.stats.latencySinceLastCall(priority);
			line.append(String.format("  %s accepted=%d processed=%d latency p50=%s p99=%s", priority,
					this.load.accepted(priority), this.stats.acked(priority), millis(latency, 50.0),
					millis(latency, 99.0)));
		}
		if (this.load.failures() > 0) {
			line.append("  failed-events=").append(this.load.failures());
		}
		this.out.println(line);
	}

	private static String millis(Histogram histogram, double percentile) {
		return (histogram.getTotalCount() == 0) ? "-" : histogram.getValueAtPercentile(percentile) + "ms";
	}

}
