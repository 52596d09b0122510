package io.eventgateway.worker.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.event.TaskEvents;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc.EventsOrchestratorBlockingStub;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.Task;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;
import io.eventgateway.worker.stats.WorkerStats;

/**
 * One worker loop: fetch a leased batch, process it, answer it, repeat.
 *
 * <p>
 * Runs on its own thread until {@link #stop()} or until it has fetched the configured
 * number of batches. In dry-run mode it fetches and logs but never answers, so the leases
 * expire and the events stay in the gateway.
 */
public class FetchLoop implements StoppableLoop {

	private static final Log logger = LogFactory.getLog(FetchLoop.class);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	private final EventsOrchestratorBlockingStub orchestrator;

	private final EventProcessor processor;

	private final ResponsePublisher responses;

	private final WorkerStats stats;

	private final Clock clock;

	private final Settings settings;

	private volatile boolean running = true;

	public FetchLoop(EventsOrchestratorBlockingStub orchestrator, EventProcessor processor, ResponsePublisher responses,
			WorkerStats stats, Clock clock, Settings settings) {
		this.orchestrator = orchestrator;
		this.processor = processor;
		this.responses = responses;
		this.stats = stats;
		this.clock = clock;
		this.settings = settings;
	}

	@Override
	public void run() {
		long batches = 0;
		Duration backoff = Duration.ofMillis(50);
		while (this.running && (this.settings.maxBatches() == 0 || batches < this.settings.maxBatches())) {
			FetchTasksResponse batch;
			try {
				batch = fetch();
				backoff = Duration.ofMillis(50);
			}
			catch (StatusRuntimeException ex) {
				if (!this.running) {
					return;
				}
				logger.warn("FetchTasks failed (" + ex.getStatus().getCode() + "); retrying in " + backoff.toMillis()
						+ " ms: " + ex.getStatus().getDescription());
				if (!pause(backoff)) {
					return;
				}
				backoff = (backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : backoff.multipliedBy(2);
				continue;
			}
			if (batch.getTasksCount() == 0) {
				continue;
			}
			batches++;
			handle(batch);
		}
	}

	/** Ends the loop after the batch in hand. */
	@Override
	public void stop() {
		this.running = false;
	}

	private FetchTasksResponse fetch() {
		FetchTasksRequest request = FetchTasksRequest.newBuilder()
			.setMaxTasks(this.settings.maxTasksPerBatch())
			.setMaxWait(ProtoTime.duration(this.settings.maxWait()))
			.setWorkerId(this.settings.workerId())
			.build();
		// The call may legitimately wait maxWait for work; allow for that plus network
		// time.
		return this.orchestrator
			.withDeadlineAfter(this.settings.maxWait().plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS)
			.fetchTasks(request);
	}

	private void handle(FetchTasksResponse batch) {
		Instant receivedAt = this.clock.instant();
		List<Event> events = new ArrayList<>(batch.getTasksCount());
		for (Task task : batch.getTasksList()) {
			Event event = TaskEvents.event(task);
			events.add(event);
			this.stats.handedOff(Priority.fromProto(event.getPriorityLevel()), ProtoTime.instant(event.getIngestedAt()),
					receivedAt);
		}
		if (!this.settings.execute()) {
			logger.info("Dry run: leased " + events.size() + " events under " + batch.getLeaseId()
					+ " and left them unanswered");
			return;
		}
		List<ProcessingOutcome> outcomes = this.processor.processBatch(events);
		if (outcomes.size() != events.size()) {
			throw new IllegalStateException(
					"EventProcessor returned " + outcomes.size() + " outcomes for " + events.size() + " events");
		}
		List<TaskOutcome> answers = new ArrayList<>(events.size());
		for (int i = 0; i < events.size(); i++) {
			Event event = events.get(i);
			ProcessingOutcome outcome = outcomes.get(i);
			this.stats.processed(Priority.fromProto(event.getPriorityLevel()), outcome.success());
			answers.add(TaskOutcome.newBuilder()
				.setPosition(batch.getTasks(i).getPosition())
				.setEventId(event.getEventId())
				.setVerdict(outcome.success() ? TaskOutcome.Verdict.ACK : TaskOutcome.Verdict.NACK)
				.setReason(outcome.reason())
				.build());
		}
		this.responses.send(batch.getReplicaIndex(), batch.getLeaseId(), answers);
	}

	private boolean pause(Duration backoff) {
		try {
			// A plain wait between retries of a failed call; nothing to wake for.
			Thread.sleep(backoff.toMillis());
			return this.running;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * How one loop fetches.
	 *
	 * @param workerId identifies this worker to the orchestrator
	 * @param maxTasksPerBatch the most tasks per FetchTasks call
	 * @param maxWait how long a call waits for tasks when there are none
	 * @param maxBatches stop after this many non-empty batches; 0 for never
	 * @param execute false for a dry run that fetches but never answers
	 */
	public record Settings(String workerId, int maxTasksPerBatch, Duration maxWait, long maxBatches, boolean execute) {
	}

}
