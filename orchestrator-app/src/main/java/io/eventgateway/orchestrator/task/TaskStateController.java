package io.eventgateway.orchestrator.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.TopicPartition;

import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.retry.FailedTaskSink;
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

	public TaskStateController(TaskBuffer buffer, LeaseTable leases, OffsetTrackers offsets, MemoryLedger memory,
			FailedTaskSink failures, Supplier<Settings> settings) {
		this.buffer = buffer;
		this.leases = leases;
		this.offsets = offsets;
		this.memory = memory;
		this.failures = failures;
		this.settings = settings;
	}

	/**
	 * Takes newly read tasks: their offsets become in flight and the tasks wait for a
	 * worker.
	 */
	public void accept(List<BufferedTask> tasks) {
		List<BufferedTask> owned = new ArrayList<>(tasks.size());
		for (BufferedTask task : tasks) {
			if (this.offsets.register(task.position().topicPartition(), task.position().offset())) {
				this.memory.hold(task);
				owned.add(task);
			}
		}
		this.buffer.addAll(owned);
	}

	/**
	 * Leases up to {@code maxTasks} tasks of at most {@code maxBytes} on the wire (but
	 * always at least one), earliest deadline first, waiting up to {@code maxWait} when
	 * none are buffered.
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
			else {
				this.nacked.incrementAndGet();
				handOff(task.retried(), outcome.getReason().isEmpty() ? "NACK" : outcome.getReason());
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
				logger.warn("Event " + task.event().getEventId() + " at " + task.position() + " expired "
						+ expired.expiries() + " leases; moving it to the retry path");
				handOff(expired.retried(), "lease expired " + expired.expiries() + " times");
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
	}

	/** Tasks ACKed since start. */
	public long ackedCount() {
		return this.acked.get();
	}

	/** Tasks NACKed since start. */
	public long nackedCount() {
		return this.nacked.get();
	}

	/** Tasks moved on because their leases kept expiring, since start. */
	public long poisonedCount() {
		return this.poisoned.get();
	}

	private void handOff(BufferedTask task, String reason) {
		this.failures.send(task, reason).whenComplete((decision, failure) -> {
			if (failure == null) {
				done(task);
			}
			else {
				// Not written anywhere: keep the task, and its offset, until a later
				// attempt works.
				logger.warn("Could not hand off failed event " + task.event().getEventId() + "; it is served again: "
						+ failure.getMessage());
				requeue(List.of(task));
			}
		});
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
