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
 * What this worker did, per priority: events ACKed, NACKed and released, and the hand-off
 * latency (ingest to worker, the quantity the SLOs bound); and what went wrong around
 * them: processor failures, lease renewals, answers not written.
 *
 * <p>
 * Thread-safe: fetch loops record, readers take interval snapshots.
 */
public class WorkerStats {

	private static final long MAX_TRACKABLE_MILLIS = Duration.ofHours(2).toMillis();

	/**
	 * The hand-off histogram's bucket boundaries: the P30, P20 and P10 SLOs (5s, 1m, 20m)
	 * and finer ones below each, up to an hour.
	 */
	static final Duration[] HANDOFF_BUCKETS = { Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
			Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
			Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30),
			Duration.ofHours(1) };

	/** The kinds {@link #processorFailed} is told about. */
	private static final String[] PROCESSOR_FAILURE_KINDS = { "exception", "error", "invalid-outcomes" };

	private final Map<Priority, PerPriority> byPriority = new EnumMap<>(Priority.class);

	private final MeterRegistry registry;

	private final LongAdder processorFailures = new LongAdder();

	private final LongAdder renewals = new LongAdder();

	private final LongAdder failedRenewals = new LongAdder();

	private final LongAdder unsentAnswers = new LongAdder();

	public WorkerStats(MeterRegistry registry) {
		this.registry = registry;
		for (Priority priority : Priority.values()) {
			this.byPriority.put(priority, new PerPriority(registry, priority));
		}
		// Registered at 0, so that a rate alert sees the first failure as an increase.
		for (String kind : PROCESSOR_FAILURE_KINDS) {
			registry.counter("gateway.worker.processor.failures", "kind", kind);
		}
	}

	/**
	 * Records that an event of this priority, ingested at the given time, reached the
	 * worker now, when this is its first delivery: a retry keeps its {@code ingested_at}
	 * and waited out its retry level on purpose, so counting it would burn the hand-off
	 * SLO as if the gateway were slow whenever a processor NACKs. A delivery again after
	 * a lease expiry is still attempt 0, and counts.
	 * @param attempt the event's delivery attempts that ended in a NACK so far
	 */
	public void handedOff(Priority priority, int attempt, Instant ingestedAt, Instant now) {
		if (attempt > 0) {
			return;
		}
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

	/** Records that an event of this priority was handed back unprocessed. */
	public void handedBack(Priority priority) {
		PerPriority stats = this.byPriority.get(priority);
		stats.released.increment();
		stats.releasedCounter.increment();
	}

	/**
	 * Records a batch the processor failed as a whole (it threw, or answered with the
	 * wrong outcomes); {@code kind} is one of a few fixed words, never a message.
	 */
	public void processorFailed(String kind) {
		this.processorFailures.increment();
		this.registry.counter("gateway.worker.processor.failures", "kind", kind).increment();
	}

	/**
	 * Records one FetchTasks call to an orchestrator replica: {@code tasks},
	 * {@code empty} or {@code failed}; {@code replica} is the replica's reported index
	 * (its address before it reported one).
	 */
	public void fetched(String replica, String outcome) {
		this.registry.counter("gateway.worker.fetches", "replica", replica, "outcome", outcome).increment();
	}

	/**
	 * Records one lease renewal: {@code renewed}, {@code failed} (the call failed),
	 * {@code not-owner} (the replica did not know the lease, before it could have ended)
	 * or {@code lease-ended} (the orchestrator had ended the lease already).
	 */
	public void renewal(String outcome) {
		(outcome.equals("renewed") ? this.renewals : this.failedRenewals).increment();
		this.registry.counter("gateway.worker.lease.renewals", "outcome", outcome).increment();
	}

	/**
	 * Records a batch fetched ahead whose lease lapsed before the loop got to it: it is
	 * released unprocessed, and its events are served again.
	 */
	public void leaseLapsed() {
		this.registry.counter("gateway.worker.prefetch.lapsed").increment();
	}

	/**
	 * Records a batch fetched ahead that was handed back unprocessed before the loop got
	 * to it: {@code waited-too-long} when it waited for the prefetch hold,
	 * {@code stopping} when the worker stopped. Its events go back to the gateway at
	 * once, with no attempt or lease expiry counted against them.
	 */
	public void prefetchHandedBack(String reason) {
		this.registry.counter("gateway.worker.prefetch.released", "reason", reason).increment();
	}

	/**
	 * Records a batch that outlived the processing-time cap: its lease is no longer
	 * renewed.
	 */
	public void overtime() {
		this.registry.counter("gateway.worker.processing.overtime").increment();
	}

	/**
	 * Records an answer that was not written: {@code send} when the producer refused it
	 * at once, {@code delivery} when the write failed later, {@code release-queue-full}
	 * when the release of a batch fetched ahead found no room to wait for the answer
	 * producer.
	 */
	public void answerNotWritten(String stage) {
		this.unsentAnswers.increment();
		this.registry.counter("gateway.worker.answers.failed", "stage", stage).increment();
	}

	/**
	 * Records a task whose event this worker cannot read (it does not decode or has no
	 * known priority); it is NACKed alone.
	 */
	public void unreadable() {
		this.registry.counter("gateway.worker.tasks.unreadable").increment();
	}

	/** Batches the processor failed as a whole since start. */
	public long processorFailures() {
		return this.processorFailures.sum();
	}

	/** Successful lease renewals since start. */
	public long renewals() {
		return this.renewals.sum();
	}

	/** Lease renewals that failed or found the lease ended, since start. */
	public long failedRenewals() {
		return this.failedRenewals.sum();
	}

	/** Answers not written since start. */
	public long unsentAnswers() {
		return this.unsentAnswers.sum();
	}

	/** Events of this priority handed back unprocessed since start. */
	public long released(Priority priority) {
		return this.byPriority.get(priority).released.sum();
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

		final LongAdder released = new LongAdder();

		final Recorder latencyRecorder = new Recorder(MAX_TRACKABLE_MILLIS, 3);

		final Counter ackedCounter;

		final Counter nackedCounter;

		final Counter releasedCounter;

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
			this.releasedCounter = Counter.builder("gateway.worker.events")
				.tag("priority", priority.name())
				.tag("outcome", "release")
				.register(registry);
			this.latencyTimer = Timer.builder("gateway.worker.handoff.latency")
				.description("Time from ingest to the worker receiving the event, first deliveries only (attempt 0;"
						+ " retries after a NACK are left out, redeliveries after a lease expiry count)")
				.tag("priority", priority.name())
				// Buckets, not client-side percentiles: they add up across pods, and
				// the SLOs (5s, 1m, 20m) are boundaries, so attainment is exact.
				.serviceLevelObjectives(HANDOFF_BUCKETS)
				.register(registry);
		}

	}

}
