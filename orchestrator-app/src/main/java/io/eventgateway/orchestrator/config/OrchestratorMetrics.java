package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.intake.SourceState;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.retry.FailureRouter;
import io.eventgateway.orchestrator.task.TaskStateController;

/**
 * The orchestrator's meters, {@code gateway.orchestrator.*}: read from the domain
 * objects' own counters (which know nothing of Micrometer), plus the poll-delay and
 * fetch-latency timers the runbook's scenarios 1, 5 and 6 watch. Tags are low-cardinality
 * only: priority, source, topic, outcome.
 */
public class OrchestratorMetrics {

	private static final String PREFIX = "gateway.orchestrator.";

	/** The fetch-latency histogram's bucket boundaries, 1ms to 10s. */
	static final Duration[] FETCH_BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
			Duration.ofSeconds(10) };

	private final MeterRegistry registry;

	private final Map<String, Timer> pollDelays = new ConcurrentHashMap<>();

	private final Timer fetchWithTasks;

	private final Timer fetchEmpty;

	public OrchestratorMetrics(MeterRegistry registry, TaskBuffer buffer, MemoryLedger memory, LeaseTable leases,
			TaskStateController controller, FailureRouter failures, OrchestratorSources sources, String responsesTopic,
			Clock clock) {
		this.registry = registry;
		for (Priority priority : Priority.values()) {
			String tag = priority.name();
			Gauge.builder(PREFIX + "buffer.events", buffer, (b) -> b.events(priority))
				.description("Tasks waiting in the buffer for a worker")
				.tag("priority", tag)
				.register(registry);
			Gauge.builder(PREFIX + "buffer.bytes", buffer, (b) -> b.bytes(priority))
				.description("Bytes of tasks waiting in the buffer")
				.tag("priority", tag)
				.register(registry);
			Gauge.builder(PREFIX + "held.bytes", memory, (m) -> m.bytes(priority))
				.description("Bytes held from read until done (buffer and leases): what memory thresholds compare")
				.tag("priority", tag)
				.register(registry);
			Gauge.builder(PREFIX + "held.events", memory, (m) -> m.events(priority))
				.description("Tasks held from read until done (buffer and leases)")
				.tag("priority", tag)
				.register(registry);
			Gauge.builder(PREFIX + "buffer.oldest.age", buffer, (b) -> ageSeconds(b.oldestIngested(priority), clock))
				.description(
						"Seconds since the oldest task waiting in the buffer became ready: ingested, or due when delayed (0 when none waits)")
				.baseUnit("seconds")
				.tag("priority", tag)
				.register(registry);
			Gauge
				.builder(PREFIX + "leases.oldest.age", leases,
						(l) -> ageSeconds(l.oldestLeasedIngestTime(priority), clock))
				.description(
						"Seconds since the oldest task under an open lease became ready: ingested, or due when delayed (0 when none)")
				.baseUnit("seconds")
				.tag("priority", tag)
				.register(registry);
			Gauge.builder(PREFIX + "deadline.slack", buffer, (b) -> slackSeconds(b.earliestDeadline(priority), clock))
				.description("Seconds until the earliest deadline among waiting tasks (negative: late)")
				.baseUnit("seconds")
				.tag("priority", tag)
				.register(registry);
		}
		for (OrchestratorSources.Source source : sources.all()) {
			SourceState state = source.state();
			Gauge.builder(PREFIX + "source.paused", state, (s) -> s.isPaused() ? 1 : 0)
				.description("1 while the source is paused (memory, offload room, retry switch)")
				.tag("source", state.name())
				.register(registry);
			Gauge.builder(PREFIX + "source.held.partitions", state, SourceState::heldPartitions)
				.description("Retry partitions held until their head record is due")
				.tag("source", state.name())
				.register(registry);
			FunctionCounter.builder(PREFIX + "source.pauses", state, (s) -> s.memoryGate().pauseCount())
				.description("Times the source paused for memory")
				.tag("source", state.name())
				.register(registry);
			FunctionCounter.builder(PREFIX + "source.resumes", state, (s) -> s.memoryGate().resumeCount())
				.description("Times the source resumed after a memory pause")
				.tag("source", state.name())
				.register(registry);
		}
		Gauge.builder(PREFIX + "leases.outstanding", leases, LeaseTable::outstanding)
			.description("Leases open now")
			.register(registry);
		FunctionCounter.builder(PREFIX + "leases.expired", leases, LeaseTable::expiredCount)
			.description("Leases that ended with unanswered tasks")
			.register(registry);
		FunctionCounter.builder(PREFIX + "leases.renewed", leases, LeaseTable::renewedCount)
			.description("Successful lease renewals")
			.register(registry);
		FunctionCounter.builder(PREFIX + "leases.late.answers", leases, LeaseTable::lateAnswerCount)
			.description("Answers ignored because their lease had ended or the task was answered already")
			.register(registry);
		FunctionCounter.builder(PREFIX + "tasks.acked", controller, TaskStateController::ackedCount).register(registry);
		FunctionCounter.builder(PREFIX + "tasks.nacked", controller, TaskStateController::nackedCount)
			.register(registry);
		FunctionCounter.builder(PREFIX + "tasks.poisoned", controller, TaskStateController::poisonedCount)
			.description("Tasks moved to the retry path because their leases kept expiring")
			.register(registry);
		FunctionCounter.builder(PREFIX + "tasks.released", controller, TaskStateController::releasedCount)
			.description("Tasks workers handed back unprocessed (dry run, stopping)")
			.register(registry);
		Gauge.builder(PREFIX + "handoffs.waiting", controller, TaskStateController::handOffsWaiting)
			.description("Failed tasks whose write to their next topic (retry level or dead letters) failed, from "
					+ "that failure until a write succeeds or the task is dropped with its partition")
			.register(registry);
		Gauge.builder(PREFIX + "foreign.waiting", controller, TaskStateController::foreignWaiting)
			.description("Foreign records whose dead-letter write failed, from that failure until a write "
					+ "succeeds or the record is dropped with its partition")
			.register(registry);
		FunctionCounter.builder(PREFIX + "tasks.retried", failures, FailureRouter::retriedCount).register(registry);
		FunctionCounter.builder(PREFIX + "tasks.dead.lettered", failures, FailureRouter::deadLetteredCount)
			.register(registry);
		FunctionCounter.builder(PREFIX + "dead.letters.unwritable", failures, FailureRouter::unwritableCount)
			.description("Records given up as too large for the dead-letter topic even without their value")
			.register(registry);
		// Registered at 0 for every topic read, so that a rate alert sees the first bad
		// record as an increase rather than as a new series.
		for (OrchestratorSources.Source source : sources.all()) {
			source.subscription().topics().forEach(this::registerRecordCounters);
		}
		registerRecordCounters(responsesTopic);
		this.fetchWithTasks = fetchTimer("tasks");
		this.fetchEmpty = fetchTimer("empty");
	}

	/**
	 * Records how old (milliseconds since its timestamp) the first record of a poll of a
	 * topic was.
	 */
	public void recordPollDelay(String topic, long millis) {
		this.pollDelays
			.computeIfAbsent(topic,
					(name) -> Timer.builder(PREFIX + "poll.delay")
						.description("Age of records when polled, per topic")
						.tag("topic", name)
						.register(this.registry))
			.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
	}

	/** Counts a record skipped because it is not a usable message of its topic. */
	public void recordUndecodable(String topic) {
		this.registry.counter(PREFIX + "records.undecodable", "topic", topic).increment();
	}

	/** Counts a decoded record whose handling failed. */
	public void recordFailed(String topic) {
		this.registry.counter(PREFIX + "records.failed", "topic", topic).increment();
	}

	/** Records one FetchTasks call. */
	public void recordFetch(long nanos, int tasks) {
		(tasks > 0 ? this.fetchWithTasks : this.fetchEmpty).record(nanos, TimeUnit.NANOSECONDS);
	}

	private void registerRecordCounters(String topic) {
		this.registry.counter(PREFIX + "records.undecodable", "topic", topic);
		this.registry.counter(PREFIX + "records.failed", "topic", topic);
	}

	private Timer fetchTimer(String outcome) {
		return Timer.builder(PREFIX + "fetch.latency")
			.description("Time to serve a FetchTasks call (empty calls include the long-poll wait)")
			.tag("outcome", outcome)
			// Buckets aggregate across pods, where means and percentiles do not.
			.serviceLevelObjectives(FETCH_BUCKETS)
			.register(this.registry);
	}

	private static double ageSeconds(Instant readyAt, Clock clock) {
		return (readyAt != null) ? Math.max(0, Duration.between(readyAt, clock.instant()).toMillis()) / 1000.0 : 0;
	}

	private static double slackSeconds(Instant earliest, Clock clock) {
		return (earliest != null) ? Duration.between(clock.instant(), earliest).toMillis() / 1000.0 : Double.NaN;
	}

}
