package io.eventgateway.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Collects items into batches that close on the first limit reached: a number of items, a
 * number of bytes, or an age (the linger time since the oldest item came in). An item
 * larger than the byte limit travels alone.
 *
 * <p>
 * Not thread-safe: the client calls it under its own lock. Time is passed in (nanoseconds
 * of any monotonic clock), so tests drive it with a fake one.
 *
 * @param <T> the item
 */
final class BatchBuffer<T> {

	private final int maxItems;

	private final long maxBytes;

	private final long lingerNanos;

	private final ToLongFunction<T> sizer;

	private List<T> items = new ArrayList<>();

	private long bytes;

	private long oldestNanos;

	/**
	 * @param maxItems the most items in a batch
	 * @param maxBytes the most bytes in a batch, unless one item alone is larger
	 * @param lingerNanos how long the oldest item may wait for others
	 * @param sizer the bytes of an item
	 */
	BatchBuffer(int maxItems, long maxBytes, long lingerNanos, ToLongFunction<T> sizer) {
		this.maxItems = maxItems;
		this.maxBytes = maxBytes;
		this.lingerNanos = lingerNanos;
		this.sizer = sizer;
	}

	/**
	 * Adds an item and returns the batches this closed, oldest first (none, one or two).
	 */
	List<List<T>> add(T item, long nowNanos) {
		List<List<T>> closed = new ArrayList<>(2);
		long size = this.sizer.applyAsLong(item);
		if (!this.items.isEmpty() && this.bytes + size > this.maxBytes) {
			closed.add(drain());
		}
		if (this.items.isEmpty()) {
			this.oldestNanos = nowNanos;
		}
		this.items.add(item);
		this.bytes += size;
		if (this.items.size() >= this.maxItems || this.bytes >= this.maxBytes) {
			closed.add(drain());
		}
		return closed;
	}

	/** The open batch, if its oldest item has waited the linger time; else empty. */
	List<T> drainIfDue(long nowNanos) {
		return (!this.items.isEmpty() && nowNanos - this.oldestNanos >= this.lingerNanos) ? drain() : List.of();
	}

	/** When the open batch is due, or {@code -1} when there is none. */
	long dueAtNanos() {
		return this.items.isEmpty() ? -1 : this.oldestNanos + this.lingerNanos;
	}

	/** The open batch, whatever its age; empty when there is none. */
	List<T> drain() {
		List<T> batch = this.items;
		this.items = new ArrayList<>();
		this.bytes = 0;
		return batch;
	}

	boolean isEmpty() {
		return this.items.isEmpty();
	}

}
