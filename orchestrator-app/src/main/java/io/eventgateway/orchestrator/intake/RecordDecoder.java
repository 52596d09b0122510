package io.eventgateway.orchestrator.intake;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import io.eventgateway.common.event.ProtoTime;
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
 */
final class RecordDecoder {

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
		Event event;
		try {
			event = Event.parseFrom(record.value());
		}
		catch (InvalidProtocolBufferException ex) {
			return foreign(record, position, "not an event: " + ex.getMessage());
		}
		if (event.getEventId().isEmpty()) {
			return foreign(record, position, "no event id");
		}
		if (!event.hasSloDeadline() || !ProtoTime.isValid(event.getSloDeadline())) {
			return foreign(record, position, "no valid SLO deadline");
		}
		if (event.getAttempt() < 0) {
			return foreign(record, position, "negative attempt " + event.getAttempt());
		}
		try {
			// Workers get the record's own bytes, not a second encoding.
			return new ReadRecord.Decoded(BufferedTask.of(event, UnsafeByteOperations.unsafeWrap(record.value()),
					position, origin(record.headers(), position)));
		}
		catch (IllegalArgumentException ex) {
			return foreign(record, position, "unknown priority: " + ex.getMessage());
		}
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
