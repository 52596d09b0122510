package io.eventgateway.orchestrator.lease;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;

/**
 * Tasks handed to one worker in one FetchTasks call, until each is answered or the
 * deadline passes.
 *
 * <p>
 * Thread-safe: answers and expiry race; whichever reaches a task first owns it, so a task
 * is either answered or returned to the buffer, never both.
 */
public final class Lease {

	private final String id;

	private volatile Instant deadline;

	private final Map<Position, BufferedTask> pending;

	/**
	 * Per priority, the earliest ingest time among the tasks the lease was opened with;
	 * fixed, so that reading it costs nothing while answers arrive.
	 */
	private final Map<Priority, Instant> oldestIngested = new EnumMap<>(Priority.class);

	private boolean ended;

	Lease(String id, Instant deadline, List<BufferedTask> tasks) {
		this.id = id;
		this.deadline = deadline;
		this.pending = new LinkedHashMap<>();
		for (BufferedTask task : tasks) {
			this.pending.put(task.position(), task);
			this.oldestIngested.merge(task.priority(), task.readyAt(),
					(held, next) -> next.isBefore(held) ? next : held);
		}
	}

	/** The lease id workers echo in their answers. */
	public String id() {
		return this.id;
	}

	/** After this instant the remaining tasks go back to the buffer. */
	public Instant deadline() {
		return this.deadline;
	}

	/**
	 * The earliest ingest time of the lease's tasks of a priority, as opened (answered
	 * tasks still count until the lease ends), or {@code null} when it has none.
	 */
	Instant oldestIngested(Priority priority) {
		return this.oldestIngested.get(priority);
	}

	/** The tasks not yet answered, in lease order. */
	public synchronized List<BufferedTask> pendingTasks() {
		return List.copyOf(this.pending.values());
	}

	/**
	 * Claims the task at a position for an answer.
	 * @return the task, or {@code null} when it was already answered, is not in this
	 * lease, or the lease has expired
	 */
	synchronized BufferedTask answer(Position position) {
		return this.ended ? null : this.pending.remove(position);
	}

	/** Whether every task has been answered. */
	synchronized boolean isComplete() {
		return this.pending.isEmpty();
	}

	/**
	 * Moves the deadline; fails when the lease has already ended.
	 * @return whether the lease was still open
	 */
	synchronized boolean extendTo(Instant newDeadline) {
		if (this.ended) {
			return false;
		}
		// A renewal never shortens a lease (a worker's short or skewed extension).
		if (newDeadline.isAfter(this.deadline)) {
			this.deadline = newDeadline;
		}
		return true;
	}

	/**
	 * Ends the lease if its deadline has passed (checked under the same lock as renewal)
	 * and hands back the tasks nobody answered.
	 * @return the unanswered tasks, or {@code null} when the lease is not due
	 */
	synchronized List<BufferedTask> expireIfDue(Instant now) {
		if (this.ended || this.deadline.isAfter(now)) {
			return null;
		}
		this.ended = true;
		List<BufferedTask> unanswered = List.copyOf(this.pending.values());
		this.pending.clear();
		return unanswered;
	}

}
