package io.eventgateway.bench.series;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.HdrHistogram.Histogram;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;

/**
 * Samples a {@link SeriesSource} and the CPU time of some processes once a second, on a
 * thread of its own, from {@link #start} until {@link #stop}, which takes a last sample.
 *
 * <p>
 * Thread-safety: {@link #phase} and {@link #stop} may be called from any thread.
 */
public final class SeriesSampler implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SeriesSampler.class);

	/** How often it samples. */
	public static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final long MIN_SAMPLE_NANOS = 50_000_000;

	private final String name;

	private final SeriesSource source;

	private final List<MeteredProcess> processes;

	private final List<SecondSample> samples = new ArrayList<>();

	private final PeriodicTask task;

	private final long startNanos;

	private String phase = "";

	private long lastNanos;

	private long lastOffered;

	private long lastAccepted;

	private long lastProcessed;

	private long backlog;

	private final Map<String, Long> lastCpu = new HashMap<>();

	private long failed;

	private boolean stopped;

	private SeriesSampler(String name, SeriesSource source, List<MeteredProcess> processes) {
		this.name = name;
		this.source = source;
		this.processes = List.copyOf(processes);
		this.startNanos = System.nanoTime();
		this.lastNanos = this.startNanos;
		this.lastOffered = source.offered();
		this.lastAccepted = source.accepted();
		this.lastProcessed = source.processed();
		// What was recorded before the series began is not its first second's.
		source.takeP30Latencies();
		this.processes.forEach((process) -> this.lastCpu.put(process.name(), process.cpuNanos().getAsLong()));
		this.task = new PeriodicTask("series-" + name, () -> INTERVAL, LoopMonitor.standalone(Clock.systemUTC())) {

			@Override
			protected void runOnce() {
				sample();
			}

			@Override
			protected void failed(Throwable ex) {
				countFailure(ex);
			}

		};
	}

	/**
	 * Starts sampling now.
	 * @param name what the series shows
	 * @param source the scenario's counters
	 * @param processes whose CPU time to follow (names unique)
	 */
	public static SeriesSampler start(String name, SeriesSource source, List<MeteredProcess> processes) {
		SeriesSampler sampler = new SeriesSampler(name, source, processes);
		sampler.task.start();
		return sampler;
	}

	/** Names what the scenario does from now on; later samples carry the name. */
	public synchronized void phase(String phase) {
		// The second so far belongs to the phase before, unless it only just began: a
		// sample of a few milliseconds would show as a spike of its rates.
		if (System.nanoTime() - this.lastNanos >= MIN_SAMPLE_NANOS) {
			sample();
		}
		this.phase = phase;
	}

	/** The series so far; sampling goes on. */
	public synchronized Series snapshot() {
		return new Series(this.name, this.samples, this.processes, this.failed);
	}

	/** Seconds since the series began, on the clock of its samples' {@code at}. */
	public double elapsedSeconds() {
		return (System.nanoTime() - this.startNanos) / 1e9;
	}

	/** Takes a last sample, stops sampling and returns the series. */
	public Series stop() {
		this.task.stop();
		synchronized (this) {
			if (!this.stopped) {
				sample();
				this.stopped = true;
			}
			return new Series(this.name, this.samples, this.processes, this.failed);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private synchronized void countFailure(Throwable ex) {
		this.failed++;
		logger.warn("A sample of series " + this.name + " failed", ex);
	}

	private synchronized void sample() {
		if (this.stopped) {
			return;
		}
		long now = System.nanoTime();
		double seconds = (now - this.lastNanos) / 1e9;
		long offered = this.source.offered();
		long accepted = this.source.accepted();
		long processed = this.source.processed();
		Histogram p30 = this.source.takeP30Latencies();
		Map<String, Long> cpu = new LinkedHashMap<>();
		for (MeteredProcess process : this.processes) {
			long nanos = process.cpuNanos().getAsLong();
			cpu.put(process.name(), Math.max(0, nanos - this.lastCpu.getOrDefault(process.name(), nanos)));
			this.lastCpu.put(process.name(), nanos);
		}
		long acceptedNow = Math.max(0, accepted - this.lastAccepted);
		long processedNow = Math.max(0, processed - this.lastProcessed);
		this.backlog += acceptedNow - processedNow;
		this.samples.add(new SecondSample((now - this.startNanos) / 1e9, seconds, this.phase,
				Math.max(0, offered - this.lastOffered), acceptedNow, processedNow, this.backlog, p30, cpu,
				Map.copyOf(this.source.extras())));
		this.lastNanos = now;
		this.lastOffered = offered;
		this.lastAccepted = accepted;
		this.lastProcessed = processed;
	}

}
