package io.eventgateway.orchestrator.buffer;

import java.time.Instant;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;

/**
 * An event held by the orchestrator from the moment it is read until it is done.
 *
 * @param serializedEvent the event as read from Kafka: passed on to workers as it is, and
 * decoded only where a component needs more than its priority and deadline
 * @param position where it was read (a priority, offload or retry topic)
 * @param origin where it was first read, before any retry; the same as {@code position}
 * on first delivery
 * @param priority its priority
 * @param deadline its SLO deadline: the buffer's sort key
 * @param ingestedAt when ingest accepted it: the start of the latency its SLO bounds
 * @param bytes what it costs in memory, for accounting
 * @param expiries how many leases of it have expired since it was read
 */
public record BufferedTask(ByteString serializedEvent, Position position, Position origin, Priority priority,
		Instant deadline, Instant ingestedAt, long bytes, int expiries) {

	/**
	 * Rough per-task overhead on top of the serialized event: objects, map and queue
	 * entries.
	 */
	static final long OVERHEAD_BYTES = 256;

	/**
	 * Framing of one task in a FetchTasks answer besides the event and the topic name:
	 * field tags, length prefixes, partition and offset varints. Generous on purpose,
	 * since the sum of these estimates is held against a hard wire limit.
	 */
	static final long WIRE_OVERHEAD_BYTES = 64;

	/** A task for an event read from the given position, its first. */
	public static BufferedTask of(Event event, Position position) {
		return of(event, event.toByteString(), position, position);
	}

	/**
	 * A task for an event read from {@code position}, first read at {@code origin}.
	 * @param event the decoded event
	 * @param serializedEvent the record value it was decoded from
	 * @param position where it was read
	 * @param origin where it was first read
	 */
	public static BufferedTask of(Event event, ByteString serializedEvent, Position position, Position origin) {
		return new BufferedTask(serializedEvent, position, origin, Priority.fromProto(event.getPriorityLevel()),
				ProtoTime.instant(event.getSloDeadline()), ProtoTime.instant(event.getIngestedAt()),
				serializedEvent.size() + OVERHEAD_BYTES, 0);
	}

	/**
	 * What the task adds to a FetchTasks answer: the serialized event, its position's
	 * topic name and the framing around them.
	 */
	public long wireBytes() {
		return this.serializedEvent.size() + this.position.topic().length() + WIRE_OVERHEAD_BYTES;
	}

	/** The event, decoded (again): for the rare paths that need all of it. */
	public Event event() {
		try {
			return Event.parseFrom(this.serializedEvent);
		}
		catch (InvalidProtocolBufferException ex) {
			// Every task is built from an event that decoded once already.
			throw new IllegalStateException("buffered event at " + this.position + " no longer decodes", ex);
		}
	}

	/**
	 * The same task after a failed attempt: the attempt count goes up, the deadline
	 * stays.
	 */
	public BufferedTask retried() {
		Event event = event();
		return new BufferedTask(event.toBuilder().setAttempt(event.getAttempt() + 1).build().toByteString(),
				this.position, this.origin, this.priority, this.deadline, this.ingestedAt, this.bytes, this.expiries);
	}

	/** The same task after one more of its leases expired. */
	public BufferedTask expired() {
		return new BufferedTask(this.serializedEvent, this.position, this.origin, this.priority, this.deadline,
				this.ingestedAt, this.bytes, this.expiries + 1);
	}

}
