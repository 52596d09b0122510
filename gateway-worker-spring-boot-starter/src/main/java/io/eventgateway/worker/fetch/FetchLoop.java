package io.eventgateway.worker.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.event.OrderableEvents;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.event.TaskEvents;
import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.common.trace.EventSpan;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.common.trace.LogContext;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.Task;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.worker.fleet.ReplicaRotation;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;
import io.eventgateway.worker.stats.WorkerStats;

/**
 * One worker loop: fetch a leased batch, process it while renewing its lease, answer it,
 * repeat; with prefetch, the next batches are fetched while the current one is processed,
 * so that the processor does not wait for a FetchTasks call between two batches.
 *
 * <p>
 * Each fetch goes to the next orchestrator replica in the loop's {@link ReplicaRotation};
 * a replica whose call fails is counted and logged and the fetch goes on to the next one,
 * so a replica that is down costs one failed call, not a back-off. The lease's renewals
 * go to the replica it came from, which stays held until the batch is answered.
 *
 * <p>
 * Prefetch is timed: the next batch is fetched {@link Settings#prefetchLead()} before the
 * batch in hand is expected to end, as the processor's recent time per event tells (see
 * {@link PrefetchTiming}), from the renewal thread; at once when the batch in hand is
 * expected to be quicker than that. A batch leased ahead waits behind the batch in hand,
 * and so does every urgent event in it: fetched late, it holds only what was there
 * shortly before the loop is free. When the batch in hand ends first, the loop fetches at
 * once. With {@link Settings#prefetch()} above 1 the empty slots are filled together: a
 * timer due after the next batch would only be replaced at the next take, so the batches
 * beyond the next one are leased up to a batch early, as they always were.
 *
 * <p>
 * Prefetch is bounded ({@link Settings#prefetch()} batches ahead) and a batch fetched
 * ahead has its lease renewed from its arrival, so that it does not expire while it
 * waits; but it waits at most {@link Settings#prefetchHold()}: then it is released at
 * once (from a thread of its own, whatever the loop is doing), so that a batch in hand
 * that takes long does not keep urgent events from idle workers. A batch whose lease
 * lapsed anyway (its renewals failed) is released, not processed: the gateway serves its
 * events again. A stopping loop releases the batches waiting ahead first, as
 * {@link #stop()} is called, then finishes the batch in hand; batches fetched ahead that
 * arrive later are released as they arrive, and the loop waits for the calls it has on
 * the way before it ends, so a stop costs no lease expiry. A dry run does not prefetch.
 *
 * <p>
 * The loop survives anything one iteration throws: the failure goes to the
 * {@link LoopHeartbeat} (logged at ERROR, counted, followed by a growing back-off) and
 * the loop goes on; only {@link #stop()}, an interrupt or the configured number of
 * batches ends it. A processor that throws (an {@code Exception} or an {@code Error}) or
 * answers with the wrong outcomes costs its own batch only: every event of it is NACKed,
 * with the failure as the reason. Tasks are never left unanswered on purpose: a dry run,
 * a batch fetched while the loop is stopping and a batch fetched ahead that the loop
 * never gets to are answered RELEASE so that their events go back to the buffer at once,
 * without an attempt or a lease expiry counted against them.
 *
 * <p>
 * Not thread-safe: runs on one thread; {@link #stop()} may be called from any thread. A
 * batch fetched ahead that the loop will not get to is released on the thread that
 * decided so; releasing touches only the thread-safe parts (meters, the answers'
 * producer, the clock).
 */
public class FetchLoop implements StoppableLoop {

	private static final Log logger = LogFactory.getLog(FetchLoop.class);

	/**
	 * How much longer than {@code maxWait} a FetchTasks call may take before it is given
	 * up: network time and the orchestrator's own scheduling.
	 */
	public static final Duration RPC_MARGIN = Duration.ofSeconds(10);

	/**
	 * The longest failure reason sent; the orchestrator keeps 1024 characters, and a huge
	 * message must not make the answer too large to write.
	 */
	static final int MAX_REASON_LENGTH = 1000;

	private final BatchFetcher fetcher;

	private final EventProcessor processor;

	private final ResponsePublisher responses;

	private final WorkerStats stats;

	private final Clock clock;

	private final LoopHeartbeat heartbeat;

	private final Settings settings;

	private final EventTracing tracing;

	private final LeaseRenewer renewer;

	private final PrefetchTiming timing;

	private volatile boolean running = true;

	/** The timed fetch ahead of the batch in hand, until it runs or is cancelled. */
	private volatile @Nullable ScheduledFuture<?> timedFetch;

	/**
	 * Counts the loop's takes: a timed fetch runs only for the batch it was timed for,
	 * not once the loop has moved on (a cancel comes too late for a task already
	 * running).
	 */
	private volatile long takes;

	public FetchLoop(ReplicaRotation orchestrators, EventProcessor processor, ResponsePublisher responses,
			LeaseRenewer renewer, PrefetchReleases releases, WorkerStats stats, Clock clock, LoopHeartbeat heartbeat,
			Settings settings) {
		this(orchestrators, processor, responses, renewer, releases, stats, clock, heartbeat, settings,
				EventTracing.OFF);
	}

	/**
	 * @param orchestrators the replicas to fetch from, in turn
	 * @param processor the user's processor
	 * @param responses where answers go
	 * @param renewer keeps each batch's lease from its arrival until it is answered
	 * @param releases sends the release of a batch fetched ahead whose hold ran out
	 * @param stats the worker's meters
	 * @param clock the time
	 * @param heartbeat where the loop reports progress and failures
	 * @param settings how the loop fetches
	 * @param tracing spans each event's processing in the trace the event carries
	 */
	public FetchLoop(ReplicaRotation orchestrators, EventProcessor processor, ResponsePublisher responses,
			LeaseRenewer renewer, PrefetchReleases releases, WorkerStats stats, Clock clock, LoopHeartbeat heartbeat,
			Settings settings, EventTracing tracing) {
		this.tracing = tracing;
		this.renewer = renewer;
		this.timing = new PrefetchTiming(settings.prefetchLead());
		FetchTasksRequest request = FetchTasksRequest.newBuilder()
			.setMaxTasks(settings.maxTasksPerBatch())
			.setMaxWait(ProtoTime.duration(settings.maxWait()))
			.setWorkerId(settings.workerId())
			.build();
		this.fetcher = new BatchFetcher(orchestrators, renewer, stats, request, settings.maxWait().plus(RPC_MARGIN),
				() -> this.running, settings.prefetchHold(), this::handBackWaiting, releases);
		this.processor = processor;
		this.responses = responses;
		this.stats = stats;
		this.clock = clock;
		this.heartbeat = heartbeat;
		this.settings = settings;
	}

	@Override
	public void run() {
		try {
			loop();
		}
		finally {
			cancelTimedFetch();
			handBackPrefetched();
		}
	}

	private void loop() {
		long batches = 0;
		while (this.running && (this.settings.maxBatches() == 0 || batches < this.settings.maxBatches())) {
			try {
				if (iterate(batches)) {
					batches++;
				}
				this.heartbeat.progressed();
			}
			catch (Throwable ex) {
				if (!this.running) {
					// A call cut short by the stop; nothing to report.
					return;
				}
				if (!this.heartbeat.failedAndBackOff(ex) && !this.running) {
					return;
				}
				// An iteration that failed but returned (the orchestrator is unreachable,
				// say) shows the loop is not stuck; a restart of the worker would not
				// help.
				this.heartbeat.alive();
				// Only stop() ends the loop: an interrupt left by user code is spent
				// here.
				Thread.interrupted();
			}
		}
		if (this.running) {
			// max-batches reached: a deliberate end, not a dead loop.
			this.heartbeat.stopRequested();
		}
	}

	/**
	 * Ends the loop after the batch in hand; a batch fetched from now on, and every batch
	 * fetched ahead, is released. The batches waiting ahead are released here and now, on
	 * the caller's thread, before the batch in hand is finished: the batch in hand may
	 * take longer than the application waits for the loop, and once the application has
	 * closed the producer and the renewals, a batch waiting ahead could only expire.
	 */
	@Override
	public void stop() {
		this.running = false;
		cancelTimedFetch();
		this.fetcher.handBackWaiting("the worker is stopping");
	}

	/**
	 * Releases a batch fetched ahead that the loop will not get to; called on whichever
	 * thread decided so (the release thread, a gRPC thread, the stopping thread).
	 */
	private void handBackWaiting(Fetched fetched, String why) {
		try (fetched) {
			handle(fetched, why);
		}
		catch (RuntimeException ex) {
			// Not answered: its lease expires and its events are served again.
			logger.error("Could not release the batch leased under " + fetched.batch().getLeaseId(), ex);
		}
	}

	/**
	 * Takes the next batch, starts fetching the ones after it, and answers it.
	 * @param batches the non-empty batches handled so far
	 * @return whether the batch had tasks
	 */
	private boolean iterate(long batches) throws InterruptedException {
		// The batch in hand ended before its successor was due to be fetched: the take
		// below fetches it now.
		cancelTimedFetch();
		this.takes++;
		try (Fetched fetched = this.fetcher.take()) {
			if (this.running) {
				fetchAhead(prefetchAfter(batches), fetched.batch().getTasksCount());
			}
			if (fetched.batch().getTasksCount() == 0) {
				return false;
			}
			handle(fetched, null);
		}
		if (!this.settings.execute() && this.running) {
			// A dry run hands its batch straight back; without a pause it would lease the
			// same events again at once, ahead of the workers that process them.
			pause(this.settings.maxWait());
		}
		return true;
	}

	/**
	 * Fetches the next batches now, or has the renewal thread fetch them a lead before
	 * the batch in hand and those already ahead are expected to be done.
	 * @param count how many batches to have on the way
	 * @param tasks the tasks of the batch in hand
	 */
	private void fetchAhead(int count, int tasks) {
		if (count == 0 || this.fetcher.ahead() >= count) {
			return;
		}
		Duration delay = this.timing.delay(tasks, this.fetcher.tasksAhead());
		if (delay.isZero()) {
			this.fetcher.fetchAhead(count);
			return;
		}
		long take = this.takes;
		// Null once the renewer is closed: the worker is shutting down, and the loop's
		// next take fetches, if it still runs.
		this.timedFetch = this.renewer.schedule(() -> fetchAheadLater(count, take), delay);
	}

	/**
	 * The timed fetch ahead, on the renewal thread: does not wait on the network, never
	 * throws.
	 */
	private void fetchAheadLater(int count, long take) {
		try {
			this.fetcher.fetchAhead(count, () -> this.running && this.takes == take);
		}
		catch (RuntimeException ex) {
			// Nothing is lost: the loop fetches its next batch once it is free.
			logger.warn("Could not fetch ahead of the batch in hand; the loop fetches once it is free", ex);
		}
	}

	private void cancelTimedFetch() {
		ScheduledFuture<?> pending = this.timedFetch;
		if (pending != null) {
			pending.cancel(false);
			this.timedFetch = null;
		}
	}

	/**
	 * How many batches to fetch ahead of the one in hand: none in a dry run (it would
	 * only lease events to release them), and never more than max-batches leaves room
	 * for.
	 */
	private int prefetchAfter(long batches) {
		if (!this.settings.execute()) {
			return 0;
		}
		if (this.settings.maxBatches() == 0) {
			return this.settings.prefetch();
		}
		long room = this.settings.maxBatches() - batches - 1;
		return (int) Math.max(0, Math.min(this.settings.prefetch(), room));
	}

	/**
	 * Releases what the calls still on the way bring, once they arrive; each call ends by
	 * its deadline, so a stop waits at most that long.
	 */
	private void handBackPrefetched() {
		for (Fetched fetched : this.fetcher.drain()) {
			try (fetched) {
				if (fetched.batch().getTasksCount() > 0) {
					handle(fetched, "the worker is stopping");
				}
			}
			catch (RuntimeException ex) {
				// Not answered: its lease expires and its events are served again.
				logger.error("Could not release the batch leased under " + fetched.batch().getLeaseId(), ex);
			}
		}
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Processes a batch, or releases it, and answers it.
	 * @param fetched the batch
	 * @param handBack why the batch is released unprocessed whatever the loop's state;
	 * {@code null} to process it if the loop may
	 */
	private void handle(Fetched fetched, @Nullable String handBack) {
		FetchTasksResponse batch = fetched.batch();
		// Processing starts now: a batch that waited, fetched ahead, counts its wait as
		// hand-off time, since its events could not be worked on meanwhile.
		Instant receivedAt = this.clock.instant();
		int size = batch.getTasksCount();
		// Answers by task index; an unreadable task is answered at once and not
		// processed.
		// Decided first: a batch released unprocessed is handed off again elsewhere, and
		// its events' hand-off is recorded there, once.
		String why = (handBack != null) ? handBack : whyNotProcess(fetched);
		TaskOutcome[] answers = new TaskOutcome[size];
		Priority[] priorities = new Priority[size];
		List<Event> events = new ArrayList<>(size);
		List<Integer> indexes = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Task task = batch.getTasks(i);
			try {
				Event event = TaskEvents.event(task);
				// A record ordered by its headers reaches here with its payload
				// unchecked: one no processor can be given fails alone.
				String problem = OrderableEvents.problem(event);
				if (problem != null) {
					answers[i] = unreadable(task, OrderableEvents.UNREADABLE + problem);
					continue;
				}
				priorities[i] = Priority.fromProto(event.getPriorityLevel());
				if (why == null) {
					this.stats.handedOff(priorities[i], event.getAttempt(), readyAt(event), receivedAt);
				}
				events.add(event);
				indexes.add(i);
			}
			catch (RuntimeException ex) {
				// A record we did not write, or a newer version: it alone goes to the
				// failure path (the dead-letter topic, since it cannot be read), its
				// neighbours are processed.
				answers[i] = unreadable(task, reason(ex));
			}
		}
		if (why != null) {
			release(batch, events, indexes, priorities, answers, why);
		}
		else if (!events.isEmpty()) {
			process(batch, fetched.renewal(), events, indexes, priorities, answers);
		}
		this.responses.send(batch.getReplicaIndex(), batch.getLeaseId(), List.of(answers));
	}

	/** The answer for a task whose event no processor can be given. */
	private TaskOutcome unreadable(Task task, String reason) {
		this.stats.unreadable();
		// Handed back, not failed, when nothing is processed (dry run, stopping).
		return answer(task, "",
				(this.running && this.settings.execute()) ? TaskOutcome.Verdict.NACK : TaskOutcome.Verdict.RELEASE,
				reason);
	}

	/** Why a batch is released rather than processed; {@code null} to process it. */
	private @Nullable String whyNotProcess(Fetched fetched) {
		if (!this.running) {
			return "the worker is stopping";
		}
		if (!this.settings.execute()) {
			return "dry run";
		}
		LeaseRenewer.Renewal renewal = fetched.renewal();
		if (renewal != null && renewal.lapsed()) {
			// Its events are served again, maybe to another worker already: processing
			// them here would only duplicate that work.
			this.stats.leaseLapsed();
			return "its lease lapsed while it waited to be processed";
		}
		return null;
	}

	private void release(FetchTasksResponse batch, List<Event> events, List<Integer> indexes, Priority[] priorities,
			TaskOutcome[] answers, String why) {
		try (LogContext context = LogContext.lease(batch.getLeaseId())) {
			logger.info("Releasing " + events.size() + " events leased under " + batch.getLeaseId() + " unprocessed: "
					+ why);
		}
		for (int j = 0; j < events.size(); j++) {
			int i = indexes.get(j);
			this.stats.handedBack(priorities[i]);
			answers[i] = answer(batch.getTasks(i), events.get(j).getEventId(), TaskOutcome.Verdict.RELEASE, why);
		}
	}

	private void process(FetchTasksResponse batch, LeaseRenewer.@Nullable Renewal renewal, List<Event> events,
			List<Integer> indexes, Priority[] priorities, TaskOutcome[] answers) {
		List<ProcessingOutcome> outcomes;
		if (renewal != null) {
			renewal.processingStarts();
		}
		long startNanos = System.nanoTime();
		try {
			outcomes = this.tracing.enabled() ? tracedBatch(batch.getLeaseId(), events)
					: processBatch(batch.getLeaseId(), events);
		}
		finally {
			this.timing.processed(events.size(), System.nanoTime() - startNanos);
			// Answered from here on: a renewal now would only race the answer.
			if (renewal != null) {
				renewal.close();
			}
		}
		for (int j = 0; j < events.size(); j++) {
			int i = indexes.get(j);
			ProcessingOutcome outcome = outcomes.get(j);
			this.stats.processed(priorities[i], outcome.success());
			answers[i] = answer(batch.getTasks(i), events.get(j).getEventId(),
					outcome.success() ? TaskOutcome.Verdict.ACK : TaskOutcome.Verdict.NACK, outcome.reason());
		}
	}

	/**
	 * Runs the processor with one span per event, each in the trace its event carries and
	 * covering the processor call that handled it (processors take whole batches), ended
	 * with the event's outcome. A batch of one event runs with that event's span current,
	 * so the processor's log lines carry its trace.
	 */
	private List<ProcessingOutcome> tracedBatch(String leaseId, List<Event> events) {
		EventSpan[] spans = new EventSpan[events.size()];
		for (int j = 0; j < spans.length; j++) {
			spans[j] = this.tracing.start("gateway.worker.process", events.get(j).getTraceParent())
				.tag("gateway.lease.id", leaseId);
		}
		List<ProcessingOutcome> outcomes;
		try (EventSpan.Scope scope = (spans.length == 1) ? spans[0].makeCurrent() : EventSpan.Scope.NONE) {
			outcomes = processBatch(leaseId, events);
		}
		for (int j = 0; j < spans.length; j++) {
			ProcessingOutcome outcome = outcomes.get(j);
			spans[j].tag("gateway.outcome", outcome.success() ? "ack" : "nack").end();
		}
		return outcomes;
	}

	/**
	 * Runs the processor; when it fails the batch as a whole, NACKs every event of it.
	 * @return one outcome per event, none {@code null}
	 */
	private List<ProcessingOutcome> processBatch(String leaseId, List<Event> events) {
		List<ProcessingOutcome> outcomes;
		try {
			// Read-only, so a processor cannot change which event an outcome belongs to.
			outcomes = this.processor.processBatch(Collections.unmodifiableList(events));
		}
		catch (Throwable ex) {
			// Errors too (an AssertionError, a StackOverflowError in user code): the loop
			// and the other batches are fine, only this batch failed.
			String kind = (ex instanceof Error) ? "error" : "exception";
			try (LogContext context = batchContext(leaseId, events)) {
				logger.error("EventProcessor failed on the " + events.size() + " events leased under " + leaseId
						+ "; NACKing all of them", ex);
			}
			return failedBatch(kind, reason(ex), events.size());
		}
		finally {
			// A processor that restored an interrupt must not cancel the next fetch.
			Thread.interrupted();
		}
		String invalid = invalid(outcomes, events.size());
		if (invalid != null) {
			try (LogContext context = batchContext(leaseId, events)) {
				logger.error("EventProcessor answered the " + events.size() + " events leased under " + leaseId
						+ " with " + invalid + "; NACKing all of them");
			}
			return failedBatch("invalid-outcomes", "EventProcessor returned " + invalid, events.size());
		}
		return outcomes;
	}

	/** The lease, and the event when the batch holds only one. */
	private static LogContext batchContext(String leaseId, List<Event> events) {
		return LogContext.lease(leaseId).eventId((events.size() == 1) ? events.get(0).getEventId() : null);
	}

	private List<ProcessingOutcome> failedBatch(String kind, String reason, int size) {
		this.stats.processorFailed(kind);
		return Collections.nCopies(size, ProcessingOutcome.nack(reason));
	}

	/** What is wrong with a processor's outcomes, or {@code null} when nothing is. */
	private static String invalid(List<ProcessingOutcome> outcomes, int expected) {
		if (outcomes == null) {
			return "null instead of " + expected + " outcomes";
		}
		if (outcomes.size() != expected) {
			return outcomes.size() + " outcomes for " + expected + " events";
		}
		for (ProcessingOutcome outcome : outcomes) {
			if (outcome == null) {
				return "a null outcome";
			}
		}
		return null;
	}

	private static TaskOutcome answer(Task task, String eventId, TaskOutcome.Verdict verdict, String reason) {
		return TaskOutcome.newBuilder()
			.setPosition(task.getPosition())
			.setEventId(eventId)
			.setVerdict(verdict)
			.setReason(cap((reason != null) ? reason : ""))
			.build();
	}

	/** A failure as a NACK reason: its type and message, never its stack. */
	static String reason(Throwable failure) {
		return cap(failure.getClass().getSimpleName() + ": " + failure.getMessage());
	}

	private static String cap(String reason) {
		return (reason.length() <= MAX_REASON_LENGTH) ? reason : reason.substring(0, MAX_REASON_LENGTH);
	}

	/**
	 * How one loop fetches.
	 *
	 * @param workerId identifies this worker to the orchestrator
	 * @param maxTasksPerBatch the most tasks per FetchTasks call
	 * @param maxWait how long a call waits for tasks when there are none
	 * @param maxBatches stop after this many non-empty batches; 0 for never
	 * @param execute false for a dry run that fetches, logs and releases every task
	 * @param prefetch how many batches to fetch ahead of the one processed; 0 to fetch
	 * each batch only once the one before is answered
	 * @param prefetchHold how long a batch fetched ahead may wait for the batch in hand;
	 * then it is released unprocessed, and its lease no longer renewed
	 * @param prefetchLead how long before the batch in hand is expected to end the next
	 * one is fetched; a lead longer than a batch's processing time fetches at once
	 */
	public record Settings(String workerId, int maxTasksPerBatch, Duration maxWait, long maxBatches, boolean execute,
			int prefetch, Duration prefetchHold, Duration prefetchLead) {

		public Settings {
			if (prefetch < 0) {
				throw new IllegalArgumentException("gateway.worker.prefetch must not be negative, was " + prefetch);
			}
			if (prefetchHold.isNegative() || prefetchHold.isZero()) {
				throw new IllegalArgumentException(
						"gateway.worker.prefetch-hold must be positive, was " + prefetchHold);
			}
			if (prefetchLead.isNegative()) {
				throw new IllegalArgumentException(
						"gateway.worker.prefetch-lead must not be negative, was " + prefetchLead);
			}
		}

	}

	/**
	 * When the event became the gateway's to hand off: when ingest accepted it, or, for a
	 * delayed event, when it was due. The wait on the delay topics was asked for, so it
	 * is not hand-off latency.
	 */
	static Instant readyAt(Event event) {
		Instant ingestedAt = ProtoTime.instant(event.getIngestedAt());
		if (!event.hasNotBefore()) {
			return ingestedAt;
		}
		Instant notBefore = ProtoTime.instant(event.getNotBefore());
		return notBefore.isAfter(ingestedAt) ? notBefore : ingestedAt;
	}

}
