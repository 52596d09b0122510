package io.eventgateway.worker.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.eventgateway.common.event.Priority;

/**
 * What this worker did, per priority: events ACKed and NACKed, and the hand-off latency
 * (ingest to worker, the quantity the SLOs bound).
 *
 * <p>
 * Thread-safe: fetch loops record, readers take interval snapshots.
 */
public class WorkerStats {

	private static final long MAX_TRACKABLE_MILLIS = Duration.ofHours(2).toMillis();

	private final Map<Priority, PerPriority> byPriority = new EnumMap<>(Priority.class);

	public WorkerStats(MeterRegistry registry) {
		for (Priority priority : Priority.values()) {
			this.byPriority.put(priority, new PerPriority(registry, priority));
		}
	}

	/**
	 * Records that an event of this priority, ingested at the given time, reached the
	 * worker now.
	 */
	public void handedOff(Priority priority, Instant ingestedAt, Instant now) {
		long millis = Math.max(0, Duration.between(ingestedAt, now).toMillis());
		PerPriority stats = this.byPriority.get(priority);
		stats.latencyRecorder.recordValue(Math.min(millis, MAX_TRACKABLE_MILLIS));
		stats.latencyTimer.record(millis, TimeUnit.MILLISECONDS);
	}

	/** Records the outcome of one event. */
	public void processed(Priority priority, boolean success) {
		PerPriority stats = this.byPriority.get(priority);
		(success ? stats.acked : stats.nacked).increment();
		(success ? stats.ackedCounter : stats.nackedCounter).increment();
	}

	/** Events of this priority ACKed since start. */
	public long acked(Priority priority) {
		return this.byPriority.get(priority).acked.sum();
	}

	/** Events of this priority NACKed since start. */
	public long nacked(Priority priority) {
		return this.byPriority.get(priority).nacked.sum();
	}

	/**
	 * The hand-off latencies (milliseconds) recorded for this priority since the previous
	 * call; each call starts a new interval.
	 */
	public Histogram latencySinceLastCall(Priority priority) {
		return this.byPriority.get(priority).latencyRecorder.getIntervalHistogram();
	}

	private static final class PerPriority {

		final LongAdder acked = new LongAdder();

		final LongAdder nacked = new LongAdder();

		final Recorder latencyRecorder = new Recorder(MAX_TRACKABLE_MILLIS, 3);

		final Counter ackedCounter;

		final Counter nackedCounter;

		final Timer latencyTimer;

		PerPriority(MeterRegistry registry, Priority priority) {
			this.ackedCounter = Counter.builder("gateway.worker.events")
				.description("Events processed by this worker, by outcome")
				.tag("priority", priority.name())
				.tag("outcome", "ack")
				.register(registry);
			this.nackedCounter = Counter.builder("gateway.worker.events")
				.tag("priority", priority.name())
				.tag("outcome", "nack")
				.register(registry);
			this.latencyTimer = Timer.builder("gateway.worker.handoff.latency")
				.description("Time from ingest to the worker receiving the event")
				.tag("priority", priority.name())
				.publishPercentiles(0.5, 0.99)
				.register(registry);
		}

	}

}
