package io.eventgateway.orchestrator.intake;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.proto.v1.Event;

/**
 * Turns a record of a source topic into a buffered task. Whatever the bytes, it returns a
 * task or throws {@link UndecodableRecordException}: one bad record must not stop the
 * consumer that read it.
 */
final class RecordDecoder {

	private RecordDecoder() {
	}

	static BufferedTask decode(ConsumerRecord<String, byte[]> record) {
		Position position = new Position(record.topic(), record.partition(), record.offset());
		Event event;
		try {
			event = Event.parseFrom(record.value());
		}
		catch (InvalidProtocolBufferException | NullPointerException ex) {
			throw new UndecodableRecordException(position, ex.toString());
		}
		if (event.getEventId().isEmpty() || !event.hasSloDeadline() || !ProtoTime.isValid(event.getSloDeadline())) {
			throw new UndecodableRecordException(position, "no event id or no valid SLO deadline");
		}
		try {
			// Workers get the record's own bytes, not a second encoding.
			return BufferedTask.of(event, UnsafeByteOperations.unsafeWrap(record.value()), position,
					origin(record.headers(), position));
		}
		catch (IllegalArgumentException ex) {
			// An unknown priority level.
			throw new UndecodableRecordException(position, ex.getMessage());
		}
	}

	private static Position origin(Headers headers, Position position) {
		String topic = GatewayHeaders.getString(headers, GatewayHeaders.ORIGINAL_TOPIC);
		if (topic == null) {
			return position;
		}
		return new Position(topic, (int) GatewayHeaders.getLong(headers, GatewayHeaders.ORIGINAL_PARTITION, -1),
				GatewayHeaders.getLong(headers, GatewayHeaders.ORIGINAL_OFFSET, -1));
	}

	/** A record that is not an event the gateway produced. */
	static final class UndecodableRecordException extends RuntimeException {

		private final Position position;

		UndecodableRecordException(Position position, String reason) {
			super("undecodable record at " + position + ": " + reason);
			this.position = position;
		}

		Position position() {
			return this.position;
		}

	}

}
