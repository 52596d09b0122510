package io.eventgateway.orchestrator.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;

import io.eventgateway.common.trace.LogContext;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.retry.FailedTaskSink;
import io.eventgateway.orchestrator.retry.ForeignRecord;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

/**
 * The life of every task: read into the buffer, leased to a worker, then done. Done means
 * ACKed, or handed to the retry or dead-letter topic (NACK, or too many expired leases);
 * only then may its offset be committed. An expired lease returns its tasks to the
 * buffer.
 *
 * <p>
 * Thread-safe: consumer threads {@link #accept}, gRPC threads {@link #fetch}, the
 * response listener {@link #answer}, the sweeper {@link #expireLeases}, producer threads
 * complete failure hand-offs. Each collaborator guards itself; a task is owned by exactly
 * one of buffer, lease or hand-off at a time.
 */
public class TaskStateController {

	private static final Log logger = LogFactory.getLog(TaskStateController.class);

	private final TaskBuffer buffer;

	private final LeaseTable leases;

	private final OffsetTrackers offsets;

	private final MemoryLedger memory;

	private final FailedTaskSink failures;

	private final Supplier<Settings> settings;

	private final AtomicLong acked = new AtomicLong();

	private final AtomicLong nacked = new AtomicLong();

	private final AtomicLong poisoned = new AtomicLong();

	private final AtomicLong released = new AtomicLong();

	private final AtomicLong foreign = new AtomicLong();

	private final WaitingWrites<ForeignRecord> foreignWaiting = new WaitingWrites<>(
			(record) -> record.position().topicPartition(), (record) -> {
			});

	private final WaitingWrites<HandOff> handOffsWaiting;

	private final java.util.function.Consumer<String> undecodable;

	/** The most characters of a worker's NACK reason that are kept. */
	public static final int MAX_REASON_LENGTH = 1024;

	/**
	 * @param buffer where tasks wait for a worker
	 * @param leases the open leases
	 * @param offsets the offset trackers shared with the source consumers
	 * @param memory the memory accounting
	 * @param failures where failed tasks and foreign records go
	 * @param settings the hot settings, read on every use
	 * @param undecodable told the topic of every record read that is not a gateway event
	 */
	public TaskStateController(TaskBuffer buffer, LeaseTable leases, OffsetTrackers offsets, MemoryLedger memory,
			FailedTaskSink failures, Supplier<Settings> settings, java.util.function.Consumer<String> undecodable) {
		this.undecodable = undecodable;
		this.buffer = buffer;
		this.leases = leases;
		this.offsets = offsets;
		this.memory = memory;
		this.failures = failures;
		this.settings = settings;
		this.handOffsWaiting = new WaitingWrites<>((handOff) -> handOff.task().position().topicPartition(),
				(handOff) -> memory.release(handOff.task()));
	}

	/**
	 * Takes newly read tasks: their offsets become in flight and the tasks wait for a
	 * worker.
	 */
	public void accept(List<BufferedTask> tasks) {
		acceptRead(tasks.stream().<ReadRecord>map(ReadRecord.Decoded::new).toList());
	}

	/**
	 * Takes what a poll read, in offset order within each partition: every offset becomes
	 * in flight in that order; events wait for a worker, and records the gateway did not
	 * write go to the dead-letter topic, their offsets done once that write is durable.
	 */
	public void acceptRead(List<ReadRecord> records) {
		List<BufferedTask> owned = new ArrayList<>(records.size());
		Map<TopicPartition, Long> firstRegistered = new HashMap<>();
		try {
			register(records, owned, firstRegistered);
			this.buffer.addAll(owned);
		}
		catch (RuntimeException | Error ex) {
			// Nothing this call registered may stay registered but unserved: roll it
			// back,
			// so that the records, read again, are registered again.
			owned.forEach(this.memory::release);
			firstRegistered.forEach(this.offsets::rollBackTo);
			throw ex;
		}
	}

	private void register(List<ReadRecord> records, List<BufferedTask> owned,
			Map<TopicPartition, Long> firstRegistered) {
		for (ReadRecord record : records) {
			Position position = record.position();
			if (!this.offsets.register(position.topicPartition(), position.offset())) {
				continue;
			}
			firstRegistered.putIfAbsent(position.topicPartition(), position.offset());
			if (record instanceof ReadRecord.Decoded decoded) {
				this.memory.hold(decoded.task());
				owned.add(decoded.task());
			}
			else if (record instanceof ReadRecord.Foreign foreign) {
				// Registered: from here on nothing may throw before its dead letter is on
				// its way, or its offset would hold the partition's commit for good.
				deadLetter(foreign.record(), false);
				this.foreign.incrementAndGet();
				try (LogContext context = foreignContext(position)) {
					logger.warn("Record at " + position + " is not a gateway event (" + foreign.record().reason()
							+ "); moving it to the dead-letter topic");
				}
				this.undecodable.accept(position.topic());
			}
		}
	}

	/**
	 * Tries again the writes that failed: failed tasks to their next topic, foreign
	 * records to the dead-letter topic; called periodically. Those of a partition revoked
	 * meanwhile are dropped: the partition's new owner reads them again. A send may block
	 * for the producer's {@code max.block.ms} while a topic's metadata is unknown (broker
	 * down), so a call stops trying once {@code budget} has passed, having tried at least
	 * one: the others wait for the next call, and the caller's other work is not held up
	 * for a send per waiting write.
	 * @param budget how long a call goes on trying
	 * @return how many were tried
	 */
	public int retryFailedWrites(Duration budget) {
		long deadline = System.nanoTime() + budget.toNanos();
		// Foreign records first: they are few, and hand-offs blocked on a broker outage
		// could otherwise use every pass's budget.
		int tried = this.foreignWaiting.retry(0, deadline, this.offsets::owns, (record) -> deadLetter(record, true));
		return this.handOffsWaiting.retry(tried, deadline, this.offsets::owns, this::handOff);
	}

	/**
	 * Leases up to {@code maxTasks} tasks of at most {@code maxBytes} on the wire (but
	 * always at least one), in buffer order (highest priority first, earliest deadline
	 * first within a priority), waiting up to {@code maxWait} when none are buffered.
	 */
	public Optional<Lease> fetch(int maxTasks, long maxBytes, Duration maxWait) throws InterruptedException {
		List<BufferedTask> tasks = this.buffer.take(maxTasks, maxBytes, maxWait);
		return tasks.isEmpty() ? Optional.empty()
				: Optional.of(this.leases.open(tasks, this.settings.get().leaseTimeout()));
	}

	/**
	 * Applies a worker's answer: an ACKed task is done; a NACKed one goes to its next
	 * retry level (or the dead-letter topic) and is done once that write is acknowledged.
	 * Answers for ended leases are ignored.
	 */
	public void answer(TaskResponse response) {
		for (TaskOutcome outcome : response.getOutcomesList()) {
			BufferedTask task = this.leases.answer(response.getLeaseId(), Position.fromProto(outcome.getPosition()));
			if (task == null) {
				continue;
			}
			if (outcome.getVerdict() == TaskOutcome.Verdict.ACK) {
				this.acked.incrementAndGet();
				done(task);
			}
			else if (outcome.getVerdict() == TaskOutcome.Verdict.RELEASE) {
				// Handed back unprocessed: neither an attempt nor an expiry.
				this.released.incrementAndGet();
				requeue(List.of(task));
			}
			else {
				this.nacked.incrementAndGet();
				handOff(new HandOff(task.retried(), reason(outcome.getReason())));
			}
		}
	}

	/**
	 * Returns the tasks of every lease past its deadline to the buffer; a task whose
	 * leases have now expired more often than allowed is treated as poison and handed to
	 * the retry path, so it cannot hold a worker slot forever.
	 */
	public int expireLeases() {
		List<BufferedTask> unanswered = this.leases.expireDue();
		List<BufferedTask> requeue = new ArrayList<>(unanswered.size());
		for (BufferedTask task : unanswered) {
			BufferedTask expired = task.expired();
			if (expired.expiries() > this.settings.get().maxLeaseExpiries()) {
				this.poisoned.incrementAndGet();
				String eventId = task.eventId();
				try (LogContext context = eventContext(eventId, task.position())) {
					logger.warn("Event " + eventId + " at " + task.position() + " expired " + expired.expiries()
							+ " leases; moving it to the retry path");
				}
				handOff(new HandOff(expired.retried(), "lease expired " + expired.expiries() + " times"));
			}
			else {
				requeue.add(expired);
			}
		}
		requeue(requeue);
		return unanswered.size();
	}

	/**
	 * Forgets partitions this orchestrator no longer owns: their queued tasks are
	 * dropped, since the new owner reads them again from the last commit.
	 */
	public void revoked(Collection<TopicPartition> partitions) {
		this.offsets.revoked(partitions);
		this.buffer.removeIf((task) -> partitions.contains(task.position().topicPartition()))
			.forEach(this.memory::release);
		// Waiting writes too: should the partition come back, its records are read again
		// from the last commit, and a write left waiting would then run the event twice.
		this.handOffsWaiting.revoked(partitions);
		this.foreignWaiting.revoked(partitions);
	}

	/** Tasks ACKed since start. */
	public long ackedCount() {
		return this.acked.get();
	}

	/** Tasks NACKed since start. */
	public long nackedCount() {
		return this.nacked.get();
	}

	/** Tasks handed back unprocessed (RELEASE), since start. */
	public long releasedCount() {
		return this.released.get();
	}

	/** Records read that were not gateway events, since start. */
	public long foreignCount() {
		return this.foreign.get();
	}

	/**
	 * Failed tasks whose write to their next topic failed and has not succeeded since:
	 * waiting to be tried again, or being tried.
	 */
	public int handOffsWaiting() {
		return this.handOffsWaiting.count();
	}

	/**
	 * Foreign records whose dead-letter write failed and has not succeeded since: waiting
	 * to be tried again, or being tried.
	 */
	public int foreignWaiting() {
		return this.foreignWaiting.count();
	}

	/** Tasks moved on because their leases kept expiring, since start. */
	public long poisonedCount() {
		return this.poisoned.get();
	}

	private void deadLetter(ForeignRecord record, boolean failedBefore) {
		CompletableFuture<Void> written;
		try {
			written = this.failures.deadLetter(record);
		}
		catch (RuntimeException | Error ex) {
			// Thrown before the send is on its way (an Error too): the record must not
			// leave the retry queue for good, or its offset holds the partition's commit.
			written = CompletableFuture.failedFuture(ex);
		}
		written.whenComplete((ignored, failure) -> {
			Position position = record.position();
			if (failure == null) {
				this.offsets.finish(position.topicPartition(), position.offset());
				this.foreignWaiting.succeeded(failedBefore);
				if (failedBefore) {
					try (LogContext context = foreignContext(position)) {
						logger.info("The foreign record at " + position
								+ " no longer waits: its dead-letter write completed after failing before");
					}
				}
				return;
			}
			// Its offset stays unfinished, so the partition is not committed past it.
			if (!failedBefore) {
				// Once per record, like hand-offs.
				try (LogContext context = foreignContext(position)) {
					logger.warn("Could not dead-letter the foreign record at " + position
							+ "; it waits and is tried again: " + failure);
				}
			}
			this.foreignWaiting.failed(record, !failedBefore);
		});
	}

	private static String reason(String reason) {
		if (reason.isEmpty()) {
			return "NACK";
		}
		// A worker's reason goes into a header of every retry record: keep it small.
		return (reason.length() > MAX_REASON_LENGTH) ? reason.substring(0, MAX_REASON_LENGTH) : reason;
	}

	/**
	 * Writes a failed task to its next topic (retry level or dead letters) and finishes
	 * it once written. A write that fails keeps the task out of the buffer, its memory
	 * held and its offset unfinished, and is tried again by
	 * {@link #retryFailedWrites(Duration)}: the task is not served again, which would run
	 * it once more than its retry levels allow and raise its attempt a second time.
	 */
	private void handOff(HandOff handOff) {
		BufferedTask task = handOff.task();
		CompletableFuture<?> written;
		try {
			written = this.failures.send(task, handOff.reason());
		}
		catch (RuntimeException | Error ex) {
			// A synchronous refusal (an Error too) must not orphan the task, which a
			// retry pass has already taken out of its queue: same as a failed write.
			written = CompletableFuture.failedFuture(ex);
		}
		written.whenComplete((decision, failure) -> {
			String eventId = task.eventId();
			if (failure == null) {
				done(task);
				this.handOffsWaiting.succeeded(handOff.failedBefore());
				if (handOff.failedBefore()) {
					try (LogContext context = eventContext(eventId, task.position())) {
						logger.info("Failed event " + eventId + " at " + task.position()
								+ " no longer waits: its hand-off completed after failing before");
					}
				}
				return;
			}
			if (!handOff.failedBefore()) {
				// Once per task: in a broker outage every waiting task fails on every
				// pass.
				try (LogContext context = eventContext(eventId, task.position())) {
					logger.warn("Could not hand off failed event " + eventId + " at " + task.position()
							+ " to its next topic; it waits and is tried again: " + failure);
				}
			}
			this.handOffsWaiting.failed(new HandOff(task, handOff.reason(), true), !handOff.failedBefore());
		});
	}

	/** A failed task on its way to its next topic, attempt already raised. */
	private record HandOff(BufferedTask task, String reason, boolean failedBefore) {

		HandOff(BufferedTask task, String reason) {
			this(task, reason, false);
		}

	}

	private static LogContext foreignContext(Position position) {
		return LogContext.record(position.topic(), position.partition(), position.offset());
	}

	private static LogContext eventContext(String eventId, Position position) {
		return LogContext.event(eventId).at(position.topic(), position.partition(), position.offset());
	}

	private void done(BufferedTask task) {
		this.offsets.finish(task.position().topicPartition(), task.position().offset());
		this.memory.release(task);
	}

	private void requeue(List<BufferedTask> tasks) {
		List<BufferedTask> owned = new ArrayList<>(tasks.size());
		for (BufferedTask task : tasks) {
			// A task of a partition revoked meanwhile belongs to its new owner now.
			if (this.offsets.owns(task.position().topicPartition())) {
				owned.add(task);
			}
			else {
				this.memory.release(task);
			}
		}
		this.buffer.addAll(owned);
	}

	/**
	 * How tasks are handled; read on every use, so the values may change at runtime.
	 *
	 * @param leaseTimeout how long a worker holds leased tasks
	 * @param maxLeaseExpiries a task whose leases expire more often than this goes to the
	 * retry path
	 */
	public record Settings(Duration leaseTimeout, int maxLeaseExpiries) {
	}

}
