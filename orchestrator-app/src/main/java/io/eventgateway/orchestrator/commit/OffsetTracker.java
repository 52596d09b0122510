package io.eventgateway.orchestrator.commit;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which offsets of one partition are still unfinished, and so how far the partition may
 * be committed: up to (not including) the lowest unfinished offset.
 *
 * <p>
 * Offsets are registered in increasing order as they are read and finished in any order;
 * an offset read again (after a failed poll) is not registered twice. Kafka offsets may
 * have gaps (transaction markers, compaction); a gap never holds the commit back.
 *
 * <p>
 * Thread-safe: the consumer thread registers and commits, the response handler finishes.
 */
public class OffsetTracker {

	private final TreeSet<Long> unfinished = new TreeSet<>();

	private long nextToRead = -1;

	/**
	 * Records that the offset was read and is now in flight.
	 * @return false, and nothing changes, when the offset was read before (a partition
	 * read again after a failed poll): it is in flight or done already
	 */
	public synchronized boolean register(long offset) {
		if (offset < this.nextToRead) {
			return false;
		}
		this.unfinished.add(offset);
		this.nextToRead = offset + 1;
		return true;
	}

	/**
	 * Forgets every offset registered from {@code offset} on, as if they had not been
	 * read: for records registered by a hand-on that then failed, and that are read
	 * again.
	 */
	public synchronized void rollBackTo(long offset) {
		if (offset < this.nextToRead) {
			this.unfinished.tailSet(offset, true).clear();
			this.nextToRead = offset;
		}
	}

	/** The offset after the last one registered; empty until something was read. */
	public synchronized OptionalLong nextToRead() {
		return (this.nextToRead < 0) ? OptionalLong.empty() : OptionalLong.of(this.nextToRead);
	}

	/**
	 * Records that the offset is done (ACKed, retried elsewhere or dead-lettered).
	 * Unknown offsets are ignored: a late answer for a record read before a rebalance
	 * must not move the commit.
	 */
	public synchronized void finish(long offset) {
		this.unfinished.remove(offset);
	}

	/**
	 * The offset to commit: everything below it is done. Empty until something was read.
	 */
	public synchronized OptionalLong committable() {
		if (this.nextToRead < 0) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(this.unfinished.isEmpty() ? this.nextToRead : this.unfinished.first());
	}

	/** Offsets read and not yet done. */
	public synchronized int inFlight() {
		return this.unfinished.size();
	}

}
