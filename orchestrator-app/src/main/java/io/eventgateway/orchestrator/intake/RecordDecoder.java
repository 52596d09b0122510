package io.eventgateway.orchestrator.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.event.OrderableEvents;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.retry.ForeignRecord;
import io.eventgateway.orchestrator.task.ReadRecord;
import io.eventgateway.proto.v1.Event;

/**
 * Turns a record of a source topic into a buffered task, or, whatever else its bytes and
 * headers hold, into a {@link ForeignRecord} with the reason: one bad record must cost
 * only itself. Never throws.
 *
 * <p>
 * A record carrying all four ordering headers ({@link GatewayHeaders#EVENT_ID},
 * {@link GatewayHeaders#PRIORITY}, {@link GatewayHeaders#SLO_DEADLINE},
 * {@link GatewayHeaders#INGESTED_AT}), each well formed, is buffered without decoding its
 * value: the value goes to a worker as it is. Should it not be an event after all, it
 * fails there alone and goes to the dead-letter topic. Any other record (another
 * producer's, an older version's, one header missing or malformed) is decoded from its
 * value and checked as before.
 */
final class RecordDecoder {

	/**
	 * The longest event id header read, in bytes: the publisher accepts no longer id (128
	 * characters, mostly ASCII), so a longer header is not the gateway's.
	 */
	static final int MAX_HEADER_ID_BYTES = 128;

	private RecordDecoder() {
	}

	static ReadRecord decode(ConsumerRecord<String, byte[]> record) {
		Position position = new Position(record.topic(), record.partition(), record.offset());
		try {
			return decodeEvent(record, position);
		}
		catch (RuntimeException ex) {
			// Whatever a record holds, it must not take its neighbours with it.
			return foreign(record, position, "unreadable record: " + ex.getClass().getSimpleName());
		}
	}

	private static ReadRecord decodeEvent(ConsumerRecord<String, byte[]> record, Position position) {
		if (record.value() == null) {
			return foreign(record, position, "no value (tombstone)");
		}
		if (record.value().length == 0) {
			return foreign(record, position, "empty value");
		}
		BufferedTask.Ordering ordering = ordering(record.headers());
		if (ordering != null) {
			return new ReadRecord.Decoded(BufferedTask.of(ordering, UnsafeByteOperations.unsafeWrap(record.value()),
					position, origin(record.headers(), position)));
		}
		Event event;
		try {
			event = Event.parseFrom(record.value());
		}
		catch (InvalidProtocolBufferException ex) {
			return foreign(record, position, "not an event: " + ex.getMessage());
		}
		String problem = OrderableEvents.problem(event);
		if (problem != null) {
			return foreign(record, position, problem);
		}
		// Workers get the record's own bytes, not a second encoding.
		return new ReadRecord.Decoded(BufferedTask.of(event, UnsafeByteOperations.unsafeWrap(record.value()), position,
				origin(record.headers(), position)));
	}

	/**
	 * The ordering fields from the record's headers, or {@code null} unless all four are
	 * there and well formed.
	 */
	private static BufferedTask.@Nullable Ordering ordering(Headers headers) {
		Header idHeader = headers.lastHeader(GatewayHeaders.EVENT_ID);
		// An id longer than any the gateway writes is not copied: the payload decides.
		if (idHeader == null || idHeader.value() == null || idHeader.value().length == 0
				|| idHeader.value().length > MAX_HEADER_ID_BYTES) {
			return null;
		}
		String eventId = new String(idHeader.value(), StandardCharsets.UTF_8);
		Priority priority = priority(GatewayHeaders.getLong(headers, GatewayHeaders.PRIORITY, 0));
		Instant deadline = GatewayHeaders.getEpochNanos(headers, GatewayHeaders.SLO_DEADLINE);
		Instant ingestedAt = GatewayHeaders.getEpochNanos(headers, GatewayHeaders.INGESTED_AT);
		if (priority == null || deadline == null || ingestedAt == null) {
			return null;
		}
		return new BufferedTask.Ordering(eventId, priority, deadline, ingestedAt);
	}

	/** The priority of a level number; no array of values copied per record. */
	private static @Nullable Priority priority(long level) {
		if (level == Priority.P30.level()) {
			return Priority.P30;
		}
		if (level == Priority.P20.level()) {
			return Priority.P20;
		}
		return (level == Priority.P10.level()) ? Priority.P10 : null;
	}

	private static ReadRecord foreign(ConsumerRecord<String, byte[]> record, Position position, String reason) {
		return new ReadRecord.Foreign(new ForeignRecord(position, record.key(), record.value(),
				record.headers().toArray(), record.timestamp(), reason));
	}

	private static Position origin(Headers headers, Position position) {
		String topic = GatewayHeaders.getString(headers, GatewayHeaders.ORIGINAL_TOPIC);
		if (topic == null || topic.isBlank()) {
			return position;
		}
		return new Position(topic, (int) GatewayHeaders.getLong(headers, GatewayHeaders.ORIGINAL_PARTITION, -1),
				GatewayHeaders.getLong(headers, GatewayHeaders.ORIGINAL_OFFSET, -1));
	}

}
