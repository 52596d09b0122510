package io.eventgateway.orchestrator.task;

import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;

/**
 * Writes whose send failed, waiting to be tried again, and how many there are. A write is
 * counted from its first failure until it succeeds or is dropped: one being tried again
 * is out of the queue, and a send blocked on unknown metadata stays out for seconds, so
 * the queue's size would read zero while records wait. Only the thread that takes an
 * entry out (a retry pass, or a revoke) decides what becomes of it.
 *
 * @param <T> what is written
 */
final class WaitingWrites<T> {

	private final Queue<T> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger waiting = new AtomicInteger();

	private final Function<T, TopicPartition> partition;

	private final Consumer<T> onDrop;

	/**
	 * @param partition the partition an entry was read from
	 * @param onDrop what to do with an entry dropped because its partition is no longer
	 * owned (release its memory, say)
	 */
	WaitingWrites(Function<T, TopicPartition> partition, Consumer<T> onDrop) {
		this.partition = partition;
		this.onDrop = onDrop;
	}

	/**
	 * A send failed: the entry waits to be tried again.
	 * @param firstFailure whether the entry had not failed before (it is counted now)
	 */
	void failed(T entry, boolean firstFailure) {
		if (firstFailure) {
			this.waiting.incrementAndGet();
		}
		this.queue.add(entry);
	}

	/**
	 * A send succeeded.
	 * @param failedBefore whether the entry had failed before (it is uncounted now)
	 */
	void succeeded(boolean failedBefore) {
		if (failedBefore) {
			this.waiting.decrementAndGet();
		}
	}

	/** Entries counted: waiting, or being tried again. */
	int count() {
		return this.waiting.get();
	}

	/**
	 * Tries again those waiting now (one that fails again goes to the end, for the next
	 * pass) and drops those of a partition no longer owned. Stops at the deadline once
	 * anything has been tried, counting those tried by an earlier queue of the same pass.
	 * @param triedBefore how many this pass has tried already
	 * @param deadline {@link System#nanoTime()} after which no new try starts
	 * @param owned whether a partition is still owned
	 * @param write tries an entry again; it must not throw, and must call {@link #failed}
	 * or {@link #succeeded} once the send ends
	 * @return how many this pass has tried, {@code triedBefore} included
	 */
	int retry(int triedBefore, long deadline, Predicate<TopicPartition> owned, Consumer<T> write) {
		int tried = triedBefore;
		for (int left = this.queue.size(); left > 0; left--) {
			if (tried > 0 && System.nanoTime() - deadline >= 0) {
				return tried;
			}
			T entry = this.queue.poll();
			if (entry == null) {
				continue;
			}
			if (owned.test(this.partition.apply(entry))) {
				write.accept(entry);
				tried++;
			}
			else {
				drop(entry);
			}
		}
		return tried;
	}

	/**
	 * Drops those of revoked partitions. The retry pass may poll an entry meanwhile: only
	 * the thread whose remove succeeds drops it (iterating sees entries the pass then
	 * takes).
	 */
	void revoked(Collection<TopicPartition> partitions) {
		for (T entry : this.queue) {
			if (partitions.contains(this.partition.apply(entry)) && this.queue.remove(entry)) {
				drop(entry);
			}
		}
	}

	private void drop(T entry) {
		this.onDrop.accept(entry);
		this.waiting.decrementAndGet();
	}

}
