package io.eventgateway.orchestrator.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;

import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

/**
 * The life of every task: read into the buffer, leased to a worker, then done (its offset
 * may be committed) or back in the buffer (NACK, expired lease).
 *
 * <p>
 * Thread-safe: consumer threads {@link #accept}, gRPC threads {@link #fetch}, the
 * response listener {@link #answer}, the sweeper {@link #expireLeases}. Each collaborator
 * guards itself; a task is owned by exactly one of buffer or lease at a time.
 */
public class TaskStateController {

	private final TaskBuffer buffer;

	private final LeaseTable leases;

	private final OffsetTrackers offsets;

	private final Duration leaseTimeout;

	private final AtomicLong acked = new AtomicLong();

	private final AtomicLong nacked = new AtomicLong();

	public TaskStateController(TaskBuffer buffer, LeaseTable leases, OffsetTrackers offsets, Duration leaseTimeout) {
		this.buffer = buffer;
		this.leases = leases;
		this.offsets = offsets;
		this.leaseTimeout = leaseTimeout;
	}

	/**
	 * Takes newly read tasks: their offsets become in flight and the tasks wait for a
	 * worker.
	 */
	public void accept(List<BufferedTask> tasks) {
		List<BufferedTask> owned = new ArrayList<>(tasks.size());
		for (BufferedTask task : tasks) {
			if (this.offsets.register(task.position().topicPartition(), task.position().offset())) {
				owned.add(task);
			}
		}
		this.buffer.addAll(owned);
	}

	/**
	 * Leases up to {@code maxTasks} tasks, earliest deadline first, waiting up to
	 * {@code maxWait} when none are buffered.
	 */
	public Optional<Lease> fetch(int maxTasks, Duration maxWait) throws InterruptedException {
		List<BufferedTask> tasks = this.buffer.take(maxTasks, maxWait);
		return tasks.isEmpty() ? Optional.empty() : Optional.of(this.leases.open(tasks, this.leaseTimeout));
	}

	/**
	 * Applies a worker's answer: an ACKed task is done; a NACKed one goes back to the
	 * buffer with its attempt count raised. Answers for ended leases are ignored.
	 */
	public void answer(TaskResponse response) {
		List<BufferedTask> retry = new ArrayList<>();
		for (TaskOutcome outcome : response.getOutcomesList()) {
			BufferedTask task = this.leases.answer(response.getLeaseId(), Position.fromProto(outcome.getPosition()));
			if (task == null) {
				continue;
			}
			if (outcome.getVerdict() == TaskOutcome.Verdict.ACK) {
				this.acked.incrementAndGet();
				this.offsets.finish(task.position().topicPartition(), task.position().offset());
			}
			else {
				this.nacked.incrementAndGet();
				retry.add(task.retried());
			}
		}
		requeue(retry);
	}

	/** Returns the tasks of every lease past its deadline to the buffer. */
	public int expireLeases() {
		List<BufferedTask> unanswered = this.leases.expireDue();
		requeue(unanswered);
		return unanswered.size();
	}

	/**
	 * Forgets partitions this orchestrator no longer owns: their queued tasks are
	 * dropped, since the new owner reads them again from the last commit.
	 */
	public void revoked(Collection<TopicPartition> partitions) {
		this.offsets.revoked(partitions);
		this.buffer.removeIf((task) -> partitions.contains(task.position().topicPartition()));
	}

	/** Tasks ACKed since start. */
	public long ackedCount() {
		return this.acked.get();
	}

	/** Tasks NACKed since start. */
	public long nackedCount() {
		return this.nacked.get();
	}

	private void requeue(List<BufferedTask> tasks) {
		// A task of a partition revoked meanwhile belongs to its new owner now.
		this.buffer
			.addAll(tasks.stream().filter((task) -> this.offsets.owns(task.position().topicPartition())).toList());
	}

}
