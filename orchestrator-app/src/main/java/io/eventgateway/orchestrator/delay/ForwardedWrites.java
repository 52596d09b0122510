package io.eventgateway.orchestrator.delay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The writes of forwarded delay records, per partition in offset order, and so how far
 * each partition may be committed: up to the first record whose write is not yet
 * acknowledged. A failed write stops its partition there: later writes of the partition
 * are forgotten (their records are read and written again, so a destination may see one
 * twice, never none), and reading resumes at the failed record.
 *
 * <p>
 * Not thread-safe: used by the forwarder's consumer thread only. The producer's thread
 * only completes the futures, which this class merely inspects.
 */
final class ForwardedWrites {

	private final Map<TopicPartition, PartitionWrites> partitions = new HashMap<>();

	/** The record at the offset is being written (forwarded or dead-lettered). */
	void sent(TopicPartition partition, long offset, CompletableFuture<?> write) {
		PartitionWrites writes = partition(partition);
		writes.inFlight.add(new Write(offset, write));
		writes.nextToRead = offset + 1;
	}

	/**
	 * The partition stopped before the record at the offset (held, or read again after a
	 * failure): reading resumes there.
	 */
	void stoppedAt(TopicPartition partition, long offset) {
		partition(partition).nextToRead = offset;
	}

	/**
	 * Takes stock of the writes that completed: each partition's acknowledged position
	 * moves past its writes done, in offset order, up to the first that is not; a failed
	 * one stops its partition there.
	 * @return the partitions whose position moved, and the first failed write of each
	 * partition that has one
	 */
	Settled settle() {
		Set<TopicPartition> advanced = new HashSet<>();
		List<FailedWrite> failed = new ArrayList<>();
		this.partitions.forEach((partition, writes) -> {
			while (!writes.inFlight.isEmpty() && writes.inFlight.peek().future().isDone()) {
				Write head = writes.inFlight.poll();
				Throwable failure = failureOf(head.future());
				if (failure != null) {
					// Later writes of this partition may still succeed: their records are
					// written again after the failed one, a duplicate at worst.
					writes.inFlight.clear();
					writes.nextToRead = head.offset();
					failed.add(new FailedWrite(partition, head.offset(), failure));
					return;
				}
				writes.acknowledged = head.offset() + 1;
				advanced.add(partition);
			}
		});
		return new Settled(advanced, failed);
	}

	/**
	 * Waits, at most the timeout, for the writes in flight of the partitions (before they
	 * are committed and handed back).
	 * @return false when some did not complete in time
	 */
	boolean awaitInFlight(Collection<TopicPartition> partitions, Duration timeout) {
		List<CompletableFuture<?>> pending = new ArrayList<>();
		for (TopicPartition partition : partitions) {
			PartitionWrites writes = this.partitions.get(partition);
			if (writes != null) {
				writes.inFlight.forEach((write) -> pending.add(write.future()));
			}
		}
		if (pending.isEmpty()) {
			return true;
		}
		try {
			CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
				.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			// Every write completed, some failed: settle() tells which.
			return true;
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * The commits due for the partitions: those whose acknowledged position moved since
	 * their last commit.
	 */
	Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
		for (TopicPartition partition : partitions) {
			PartitionWrites writes = this.partitions.get(partition);
			if (writes != null && writes.acknowledged >= 0 && writes.acknowledged != writes.committed) {
				due.put(partition, new OffsetAndMetadata(writes.acknowledged));
			}
		}
		return due;
	}

	/** The offsets were committed (or sent to be). */
	void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
		offsets.forEach((partition, offset) -> {
			PartitionWrites writes = this.partitions.get(partition);
			if (writes != null) {
				writes.committed = offset.offset();
			}
		});
	}

	/** A commit of the partitions failed: they are committed again next time. */
	void uncommitted(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			PartitionWrites writes = this.partitions.get(partition);
			if (writes != null) {
				writes.committed = -1;
			}
		}
	}

	/**
	 * Where reading of the partition resumes: after the last record handed to a write, or
	 * at the record it stopped before; empty when nothing of it was read.
	 */
	OptionalLong nextToRead(TopicPartition partition) {
		PartitionWrites writes = this.partitions.get(partition);
		return (writes == null || writes.nextToRead < 0) ? OptionalLong.empty() : OptionalLong.of(writes.nextToRead);
	}

	/** Writes not yet acknowledged, over every partition. */
	int inFlight() {
		return this.partitions.values().stream().mapToInt((writes) -> writes.inFlight.size()).sum();
	}

	/** Forgets partitions no longer owned; their writes in flight are not waited for. */
	void forget(Collection<TopicPartition> partitions) {
		partitions.forEach(this.partitions::remove);
	}

	private PartitionWrites partition(TopicPartition partition) {
		return this.partitions.computeIfAbsent(partition, (key) -> new PartitionWrites());
	}

	private static Throwable failureOf(CompletableFuture<?> done) {
		try {
			done.join();
			return null;
		}
		catch (CompletionException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (CancellationException ex) {
			return ex;
		}
	}

	/**
	 * What {@link #settle()} found.
	 *
	 * @param advanced partitions whose acknowledged position moved
	 * @param failed the first failed write of each partition that has one
	 */
	record Settled(Set<TopicPartition> advanced, List<FailedWrite> failed) {
	}

	/**
	 * A write that failed; its partition is read again from its record.
	 *
	 * @param partition the partition
	 * @param offset the record's offset
	 * @param cause why
	 */
	record FailedWrite(TopicPartition partition, long offset, Throwable cause) {
	}

	private record Write(long offset, CompletableFuture<?> future) {
	}

	private static final class PartitionWrites {

		private final ArrayDeque<Write> inFlight = new ArrayDeque<>();

		/** The offset after the last acknowledged write, -1 before the first. */
		private long acknowledged = -1;

		/** The last offset committed, -1 before the first commit. */
		private long committed = -1;

		/** Where reading resumes, -1 before anything was read. */
		private long nextToRead = -1;

	}

}
