package io.eventgateway.orchestrator.buffer;

import java.time.Instant;
import java.util.Optional;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;

/**
 * An event held by the orchestrator from the moment it is read until it is done.
 *
 * @param eventId the event's id, for logs: read with the ordering fields, so that no log
 * line needs the payload decoded
 * @param serializedEvent the event as read from Kafka: passed on to workers as it is, and
 * decoded only where a component needs more than its priority and deadline (it may not
 * decode at all when the record's ordering headers were good and its payload was not: the
 * task then fails at its worker and goes to the dead-letter topic)
 * @param position where it was read (a priority, offload or retry topic)
 * @param origin where it was first read, before any retry; the same as {@code position}
 * on first delivery
 * @param priority its priority
 * @param deadline its SLO deadline: the buffer's sort key
 * @param ingestedAt when ingest accepted it: the start of the latency its SLO bounds
 * @param bytes what it costs in memory, for accounting
 * @param expiries how many leases of it have expired since it was read
 */
public record BufferedTask(String eventId, ByteString serializedEvent, Position position, Position origin,
		Priority priority, Instant deadline, Instant ingestedAt, long bytes, int expiries) {

	/**
	 * Rough per-task overhead on top of the serialized event: objects, map and queue
	 * entries.
	 */
	static final long OVERHEAD_BYTES = 256;

	/** The object headers of the event id's String and its array. */
	static final long ID_OVERHEAD_BYTES = 40;

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
		return of(
				new Ordering(event.getEventId(), Priority.fromProto(event.getPriorityLevel()),
						ProtoTime.instant(event.getSloDeadline()), ProtoTime.instant(event.getIngestedAt())),
				serializedEvent, position, origin);
	}

	/**
	 * A task for a record whose ordering fields are known without decoding its value
	 * (from its headers).
	 * @param ordering what the buffer orders and logs it by
	 * @param serializedEvent the record value, passed on undecoded
	 * @param position where it was read
	 * @param origin where it was first read
	 */
	public static BufferedTask of(Ordering ordering, ByteString serializedEvent, Position position, Position origin) {
		// The id is held besides the value (a String and its array): counted, since small
		// events are mostly overhead.
		long bytes = serializedEvent.size() + OVERHEAD_BYTES + ID_OVERHEAD_BYTES + idBytes(ordering.eventId());
		return new BufferedTask(ordering.eventId(), serializedEvent, position, origin, ordering.priority(),
				ordering.deadline(), ordering.ingestedAt(), bytes, 0);
	}

	/**
	 * When the event became ready to be worked on, the start of the wait its SLO bounds:
	 * its deadline less its priority's SLO, which is its due time for a delayed event
	 * (ingest counts the deadline from there) and its ingest time otherwise. Never before
	 * its ingest time: a retry demoted to a priority with a longer SLO keeps its
	 * deadline, so for it the difference lies before acceptance. Computed on each call
	 * (one subtraction), so the task carries nothing more.
	 */
	public Instant readyAt() {
		Instant ready = this.deadline.minus(this.priority.slo());
		return ready.isAfter(this.ingestedAt) ? ready : this.ingestedAt;
	}

	/**
	 * The bytes of a String's array: one per character when all are Latin-1, else two.
	 */
	static long idBytes(String id) {
		for (int i = 0; i < id.length(); i++) {
			if (id.charAt(i) > 0xFF) {
				return 2L * id.length();
			}
		}
		return id.length();
	}

	/**
	 * What the task adds to a FetchTasks answer: the serialized event, its position's
	 * topic name and the framing around them.
	 */
	public long wireBytes() {
		return this.serializedEvent.size() + this.position.topic().length() + WIRE_OVERHEAD_BYTES;
	}

	/**
	 * The event, decoded: for the rare paths that need all of it. Empty when the value is
	 * not an event (a record whose ordering headers were good and its payload was not).
	 */
	public Optional<Event> decodeEvent() {
		try {
			return Optional.of(Event.parseFrom(this.serializedEvent));
		}
		catch (InvalidProtocolBufferException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The event, decoded, for callers that know it decodes (tests, tasks built from an
	 * event).
	 * @throws IllegalStateException when the value is not an event
	 */
	public Event event() {
		return decodeEvent()
			.orElseThrow(() -> new IllegalStateException("buffered value at " + this.position + " is not an event"));
	}

	/**
	 * The same task after a failed attempt: the attempt count goes up, the deadline
	 * stays. A value that is not an event stays as it is: it has no attempt count, and no
	 * retry can help it (see {@code FailureRouter}).
	 */
	public BufferedTask retried() {
		Optional<Event> decoded = decodeEvent();
		if (decoded.isEmpty()) {
			return this;
		}
		Event event = decoded.get();
		return new BufferedTask(this.eventId,
				event.toBuilder().setAttempt(event.getAttempt() + 1).build().toByteString(), this.position, this.origin,
				this.priority, this.deadline, this.ingestedAt, this.bytes, this.expiries);
	}

	/** The same task after one more of its leases expired. */
	public BufferedTask expired() {
		return new BufferedTask(this.eventId, this.serializedEvent, this.position, this.origin, this.priority,
				this.deadline, this.ingestedAt, this.bytes, this.expiries + 1);
	}

	/**
	 * What the buffer orders a task by, and the id its log lines carry: the fields of the
	 * gateway's ordering headers.
	 *
	 * @param eventId the event's id
	 * @param priority its priority
	 * @param deadline its SLO deadline
	 * @param ingestedAt when ingest accepted it
	 */
	public record Ordering(String eventId, Priority priority, Instant deadline, Instant ingestedAt) {
	}

}
