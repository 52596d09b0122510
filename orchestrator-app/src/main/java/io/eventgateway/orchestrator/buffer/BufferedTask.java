package io.eventgateway.orchestrator.buffer;

import java.time.Instant;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;

/**
 * An event held by the orchestrator from the moment it is read until it is done.
 *
 * @param event the event
 * @param position where it was read (a priority, offload or retry topic)
 * @param origin where it was first read, before any retry; the same as {@code position}
 * on first delivery
 * @param priority its priority
 * @param deadline its SLO deadline: the buffer's sort key
 * @param bytes what it costs in memory, for accounting
 * @param expiries how many leases of it have expired since it was read
 */
public record BufferedTask(Event event, Position position, Position origin, Priority priority, Instant deadline,
		long bytes, int expiries) {

	/**
	 * Rough per-task overhead on top of the serialized event: objects, map and queue
	 * entries.
	 */
	static final long OVERHEAD_BYTES = 256;

	/**
	 * A task for an event read from the given position, whose serialized size is given.
	 */
	public static BufferedTask of(Event event, Position position, int serializedSize) {
		return of(event, position, position, serializedSize);
	}

	/** A task for an event read from {@code position}, first read at {@code origin}. */
	public static BufferedTask of(Event event, Position position, Position origin, int serializedSize) {
		return new BufferedTask(event, position, origin, Priority.fromProto(event.getPriorityLevel()),
				ProtoTime.instant(event.getSloDeadline()), serializedSize + OVERHEAD_BYTES, 0);
	}

	/**
	 * The same task after a failed attempt: the attempt count goes up, the deadline
	 * stays.
	 */
	public BufferedTask retried() {
		return new BufferedTask(this.event.toBuilder().setAttempt(this.event.getAttempt() + 1).build(), this.position,
				this.origin, this.priority, this.deadline, this.bytes, this.expiries);
	}

	/** The same task after one more of its leases expired. */
	public BufferedTask expired() {
		return new BufferedTask(this.event, this.position, this.origin, this.priority, this.deadline, this.bytes,
				this.expiries + 1);
	}

}
