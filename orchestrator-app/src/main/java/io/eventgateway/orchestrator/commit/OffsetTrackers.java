package io.eventgateway.orchestrator.commit;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;

/**
 * One {@link OffsetTracker} per partition this orchestrator currently owns.
 *
 * <p>
 * Thread-safe. A partition's tracker exists from assignment to revocation; answers for a
 * partition no longer owned are dropped, since its new owner reads those records again.
 */
public class OffsetTrackers {

	private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();

	/** Starts tracking newly assigned partitions. */
	public void assigned(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			this.trackers.put(partition, new OffsetTracker());
		}
	}

	/** Stops tracking revoked or lost partitions. */
	public void revoked(Collection<TopicPartition> partitions) {
		for (TopicPartition partition : partitions) {
			this.trackers.remove(partition);
		}
	}

	/** Whether this orchestrator owns the partition now. */
	public boolean owns(TopicPartition partition) {
		return this.trackers.containsKey(partition);
	}

	/**
	 * Registers a read offset; false when the partition is not owned (it was just
	 * revoked) or the offset was registered before.
	 */
	public boolean register(TopicPartition partition, long offset) {
		OffsetTracker tracker = this.trackers.get(partition);
		return tracker != null && tracker.register(offset);
	}

	/**
	 * Forgets what was registered from the offset on, if the partition is still owned.
	 */
	public void rollBackTo(TopicPartition partition, long offset) {
		OffsetTracker tracker = this.trackers.get(partition);
		if (tracker != null) {
			tracker.rollBackTo(offset);
		}
	}

	/** Marks an offset done, if the partition is still owned. */
	public void finish(TopicPartition partition, long offset) {
		OffsetTracker tracker = this.trackers.get(partition);
		if (tracker != null) {
			tracker.finish(offset);
		}
	}

	/** The offset a partition may be committed to, if owned and anything was read. */
	public OptionalLong committable(TopicPartition partition) {
		OffsetTracker tracker = this.trackers.get(partition);
		return (tracker != null) ? tracker.committable() : OptionalLong.empty();
	}

}
