package io.eventgateway.orchestrator.memory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.BufferedTask;

/**
 * Bytes and events the orchestrator holds per priority, from the moment a record is read
 * until the task is done, whether it waits in the buffer or sits in a lease, and per
 * source the bytes of records a poll returned that wait to be handed on (read ahead, or
 * behind a retry record not due yet): what the memory thresholds are compared with.
 *
 * <p>
 * Thread-safe and lock-free.
 */
public class MemoryLedger {

	private final Map<Priority, AtomicLong> bytes = new EnumMap<>(Priority.class);

	private final Map<Priority, AtomicLong> events = new EnumMap<>(Priority.class);

	private final Map<String, AtomicLong> waiting = new ConcurrentHashMap<>();

	public MemoryLedger() {
		for (Priority priority : Priority.values()) {
			this.bytes.put(priority, new AtomicLong());
			this.events.put(priority, new AtomicLong());
		}
	}

	/** A task is now held. */
	public void hold(BufferedTask task) {
		this.bytes.get(task.priority()).addAndGet(task.bytes());
		this.events.get(task.priority()).incrementAndGet();
	}

	/** A task is no longer held. */
	public void release(BufferedTask task) {
		this.bytes.get(task.priority()).addAndGet(-task.bytes());
		this.events.get(task.priority()).decrementAndGet();
	}

	/** Bytes held for one priority. */
	public long bytes(Priority priority) {
		return this.bytes.get(priority).get();
	}

	/** Events held for one priority. */
	public long events(Priority priority) {
		return this.events.get(priority).get();
	}

	/**
	 * The bytes of records a source read but has not handed on yet changed.
	 * @param source the source's name
	 * @param deltaBytes positive when records start waiting, negative when they are
	 * handed on or dropped
	 */
	public void waiting(String source, long deltaBytes) {
		this.waiting.computeIfAbsent(source, (name) -> new AtomicLong()).addAndGet(deltaBytes);
	}

	/** Bytes of records one source read that wait to be handed on. */
	public long waitingBytes(String source) {
		AtomicLong value = this.waiting.get(source);
		return (value != null) ? value.get() : 0;
	}

	/**
	 * Bytes held for every priority together, with the records every source read that
	 * wait to be handed on.
	 */
	public long totalBytes() {
		long total = 0;
		for (AtomicLong value : this.bytes.values()) {
			total += value.get();
		}
		for (AtomicLong value : this.waiting.values()) {
			total += value.get();
		}
		return total;
	}

}
