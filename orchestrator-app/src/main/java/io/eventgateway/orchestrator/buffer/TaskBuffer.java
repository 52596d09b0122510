package io.eventgateway.orchestrator.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import io.eventgateway.common.event.Priority;

/**
 * Events waiting for a worker, highest priority first and earliest SLO deadline first
 * within a priority, with the bytes and count held per priority.
 *
 * <p>
 * Priority comes before the deadline so that an overload of a lower priority cannot hold
 * up a higher one. Ordered by deadline alone across priorities, a P20 load beyond the
 * workers' capacity leaves P20 events past their deadlines, and every one of them then
 * comes before a P30 event just ingested (whose deadline is 5 seconds ahead): P30 waits
 * as long as the P20 backlog has overrun its SLO. The price is that a lower priority is
 * served only while no higher one waits.
 *
 * <p>
 * Thread-safe: consumer threads add, gRPC threads take (waiting up to a bound when
 * empty), the lease sweeper and the response handler put tasks back. One lock guards the
 * queue; ties on priority and deadline go to the task added first.
 */
public class TaskBuffer {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition notEmpty = this.lock.newCondition();

	private final PriorityQueue<Entry> queue = new PriorityQueue<>();

	private final Map<Priority, long[]> held = new EnumMap<>(Priority.class);

	private final EarliestPerPriority ingestTimes = new EarliestPerPriority(BufferedTask::readyAt);

	private final EarliestPerPriority deadlines = new EarliestPerPriority(BufferedTask::deadline);

	private long sequence;

	private boolean closed;

	public TaskBuffer() {
		for (Priority priority : Priority.values()) {
			this.held.put(priority, new long[2]);
		}
	}

	/** Adds tasks and wakes waiting takers. */
	public void addAll(Collection<BufferedTask> tasks) {
		if (tasks.isEmpty()) {
			return;
		}
		this.lock.lock();
		try {
			for (BufferedTask task : tasks) {
				this.queue.add(new Entry(task, this.sequence++));
				this.ingestTimes.add(task);
				this.deadlines.add(task);
				long[] counts = this.held.get(task.priority());
				counts[0]++;
				counts[1] += task.bytes();
			}
			this.notEmpty.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes up to {@code max} tasks whose {@linkplain BufferedTask#wireBytes() wire
	 * sizes} add up to at most {@code maxBytes}, in buffer order, waiting up to
	 * {@code maxWait} for the first one. The first task is taken whatever its size, so
	 * that an event larger than the budget is still served alone; taking stops at the
	 * first task that does not fit, which stays first in line for the next call (skipping
	 * it for smaller, later ones would break the buffer order). Returns an empty list
	 * when none arrived in time or the buffer is closed.
	 */
	public List<BufferedTask> take(int max, long maxBytes, Duration maxWait) throws InterruptedException {
		long remainingNanos = maxWait.toNanos();
		this.lock.lockInterruptibly();
		try {
			while (this.queue.isEmpty() && !this.closed) {
				if (remainingNanos <= 0) {
					return List.of();
				}
				remainingNanos = this.notEmpty.awaitNanos(remainingNanos);
			}
			List<BufferedTask> taken = new ArrayList<>(Math.min(max, this.queue.size()));
			long takenBytes = 0;
			while (taken.size() < max && !this.queue.isEmpty()) {
				long wireBytes = this.queue.peek().task().wireBytes();
				if (!taken.isEmpty() && takenBytes + wireBytes > maxBytes) {
					break;
				}
				BufferedTask task = this.queue.poll().task();
				this.ingestTimes.remove(task);
				this.deadlines.remove(task);
				long[] counts = this.held.get(task.priority());
				counts[0]--;
				counts[1] -= task.bytes();
				taken.add(task);
				takenBytes += wireBytes;
			}
			return taken;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Removes every queued task matching the filter (for example, of a revoked
	 * partition).
	 */
	public List<BufferedTask> removeIf(Predicate<BufferedTask> filter) {
		this.lock.lock();
		try {
			List<BufferedTask> removed = new ArrayList<>();
			this.queue.removeIf((entry) -> {
				if (!filter.test(entry.task())) {
					return false;
				}
				long[] counts = this.held.get(entry.task().priority());
				counts[0]--;
				counts[1] -= entry.task().bytes();
				this.ingestTimes.remove(entry.task());
				this.deadlines.remove(entry.task());
				removed.add(entry.task());
				return true;
			});
			return removed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Queued tasks of one priority. */
	public long events(Priority priority) {
		return read(priority, 0);
	}

	/** Bytes held by queued tasks of one priority. */
	public long bytes(Priority priority) {
		return read(priority, 1);
	}

	/**
	 * The earliest deadline among queued tasks of a priority, or {@code null} when none
	 * is queued. Kept up to date on every add and take, so reading it costs no scan.
	 */
	public Instant earliestDeadline(Priority priority) {
		this.lock.lock();
		try {
			return this.deadlines.earliest(priority);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * When the longest-waiting queued task of a priority became ready
	 * ({@link BufferedTask#readyAt()}: its due time when it was delayed, else its ingest
	 * time), or {@code null} when none is queued. Kept up to date on every add and take,
	 * so reading it costs no scan.
	 */
	public Instant oldestIngested(Priority priority) {
		this.lock.lock();
		try {
			return this.ingestTimes.earliest(priority);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Queued tasks of every priority. */
	public int size() {
		this.lock.lock();
		try {
			return this.queue.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether a taker is waiting for tasks right now. */
	public boolean hasWaitingTakers() {
		this.lock.lock();
		try {
			return this.lock.hasWaiters(this.notEmpty);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Wakes every waiting taker; later takes return at once. */
	public void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.notEmpty.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private long read(Priority priority, int index) {
		this.lock.lock();
		try {
			return this.held.get(priority)[index];
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A queued task in buffer order: higher priority level first, then earlier deadline,
	 * then added first. The level and deadline are copied into primitives because every
	 * take compares them about log2(size) times under the lock.
	 */
	private record Entry(BufferedTask task, long sequence, int level, long deadlineSeconds,
			int deadlineNanos) implements Comparable<Entry> {

		Entry(BufferedTask task, long sequence) {
			this(task, sequence, task.priority().level(), task.deadline().getEpochSecond(), task.deadline().getNano());
		}

		@Override
		public int compareTo(Entry other) {
			if (this.level != other.level) {
				return (this.level > other.level) ? -1 : 1;
			}
			if (this.deadlineSeconds != other.deadlineSeconds) {
				return (this.deadlineSeconds < other.deadlineSeconds) ? -1 : 1;
			}
			if (this.deadlineNanos != other.deadlineNanos) {
				return (this.deadlineNanos < other.deadlineNanos) ? -1 : 1;
			}
			return Long.compare(this.sequence, other.sequence);
		}

	}

}
