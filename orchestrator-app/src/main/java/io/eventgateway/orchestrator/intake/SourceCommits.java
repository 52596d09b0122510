package io.eventgateway.orchestrator.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventgateway.orchestrator.commit.OffsetTrackers;

/**
 * Commits a source's partitions as far as their {@link OffsetTrackers} allow, and only
 * that far: the commit position never comes from the consumer's own position, so a
 * failure anywhere in the loop can never move a commit past unfinished work.
 *
 * <p>
 * Not thread-safe: used by the source's consumer thread only (commit callbacks run on it,
 * inside {@code poll}).
 */
final class SourceCommits {

	private static final Log logger = LogFactory.getLog(SourceCommits.class);

	private final Consumer<String, byte[]> consumer;

	private final OffsetTrackers offsets;

	private final Map<TopicPartition, Long> committed = new HashMap<>();

	private final BooleanSupplier mayCommit;

	private final long intervalMillis;

	private final LongSupplier millis;

	/** When the last timed commit was sent; the first is due one interval after start. */
	private long lastTimedCommit;

	/**
	 * @param consumer the source's consumer
	 * @param offsets how far each partition may be committed
	 * @param mayCommit false while the partitions may belong to another replica already
	 * (the orchestrator is fenced): then nothing is committed at all
	 * @param interval the least time between two timed commits; zero commits on every
	 * call of {@link #maybeCommitAsync()}
	 * @param millis the time source of the interval, in milliseconds
	 */
	SourceCommits(Consumer<String, byte[]> consumer, OffsetTrackers offsets, BooleanSupplier mayCommit,
			Duration interval, LongSupplier millis) {
		this.consumer = consumer;
		this.offsets = offsets;
		this.mayCommit = mayCommit;
		this.intervalMillis = interval.toMillis();
		this.millis = millis;
		this.lastTimedCommit = millis.getAsLong();
	}

	/**
	 * Commits, asynchronously, every owned partition whose committable offset moved,
	 * unless the last such commit is less than the interval ago: a commit per loop
	 * iteration would cost a request to the group coordinator every few milliseconds
	 * under load, for no gain in safety (a crash redelivers, never drops). A clock that
	 * went back counts as due.
	 */
	void maybeCommitAsync() {
		long now = this.millis.getAsLong();
		if (now >= this.lastTimedCommit && now - this.lastTimedCommit < this.intervalMillis) {
			return;
		}
		this.lastTimedCommit = now;
		commitAsync();
	}

	private void commitAsync() {
		if (!this.mayCommit.getAsBoolean()) {
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> due = due(this.consumer.assignment());
		if (!due.isEmpty()) {
			this.consumer.commitAsync(due, (offsets, failure) -> {
				if (failure != null) {
					logger.warn("Offset commit failed; it is sent again with the next timed commit: "
							+ failure.getMessage());
					offsets.keySet().forEach(this.committed::remove);
				}
			});
			due.forEach((partition, offset) -> this.committed.put(partition, offset.offset()));
		}
	}

	/**
	 * Commits the partitions synchronously, bounded by the timeout (before a revocation
	 * and at the end); a failure is logged, and the records are read again.
	 */
	void commitSync(Collection<TopicPartition> partitions, Duration timeout) {
		if (!this.mayCommit.getAsBoolean()) {
			if (!partitions.isEmpty()) {
				logger.warn("Not committing " + partitions + ": fenced, another replica may own them already");
			}
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> due = due(partitions);
		if (!due.isEmpty()) {
			try {
				commitSyncPastWakeup(due, timeout);
				due.forEach((partition, offset) -> this.committed.put(partition, offset.offset()));
			}
			catch (RuntimeException ex) {
				logger.warn("Offset commit failed; the records are read again: " + ex.getMessage());
			}
		}
	}

	private void commitSyncPastWakeup(Map<TopicPartition, OffsetAndMetadata> due, Duration timeout) {
		try {
			this.consumer.commitSync(due, timeout);
		}
		catch (WakeupException ex) {
			// A stop's wakeup that no poll consumed: it is spent now, commit once more.
			this.consumer.commitSync(due, timeout);
		}
	}

	/** The last offset committed for the partition, -1 before the first commit. */
	long committed(TopicPartition partition) {
		return this.committed.getOrDefault(partition, -1L);
	}

	/** Forgets partitions no longer owned. */
	void forget(Collection<TopicPartition> partitions) {
		partitions.forEach(this.committed::remove);
	}

	private Map<TopicPartition, OffsetAndMetadata> due(Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
		for (TopicPartition partition : partitions) {
			OptionalLong committable = this.offsets.committable(partition);
			if (committable.isPresent() && committable.getAsLong() != committed(partition)) {
				due.put(partition, new OffsetAndMetadata(committable.getAsLong()));
			}
		}
		return due;
	}

}
