package io.eventgateway.publisher.produce;

import java.time.DateTimeException;
import java.time.Instant;

import com.google.protobuf.Timestamp;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

/**
 * Writes the ordering headers (event id, priority, SLO deadline, ingested-at) of an event
 * record, so that the orchestrator orders it without decoding its payload. Every event
 * record the publisher writes carries them: priority topics, failed writes and spool
 * replays.
 *
 * <p>
 * All four or none: an event missing one of the values (a record another version wrote to
 * the failed-writes topic, say) gets none, and readers decode its payload as they would
 * for any record without them.
 */
public final class OrderingHeaders {

	private OrderingHeaders() {
	}

	/**
	 * Adds the four headers of {@code event} to {@code headers}, or nothing when the
	 * event lacks one of the values.
	 * @return whether the headers were added
	 */
	public static boolean add(Headers headers, Event event) {
		if (event.getEventId().isEmpty() || !isKnown(event.getPriorityLevel()) || !event.hasSloDeadline()
				|| !event.hasIngestedAt()) {
			return false;
		}
		// Staged, so that a time out of range leaves the record without any of the four.
		Headers staged = new RecordHeaders();
		GatewayHeaders.putString(staged, GatewayHeaders.EVENT_ID, event.getEventId());
		GatewayHeaders.putLong(staged, GatewayHeaders.PRIORITY, event.getPriorityLevelValue());
		if (!putTime(staged, GatewayHeaders.SLO_DEADLINE, event.getSloDeadline())
				|| !putTime(staged, GatewayHeaders.INGESTED_AT, event.getIngestedAt())) {
			return false;
		}
		for (Header header : staged) {
			headers.add(header);
		}
		return true;
	}

	private static boolean putTime(Headers headers, String name, Timestamp timestamp) {
		Instant instant;
		try {
			instant = Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
		}
		catch (DateTimeException | ArithmeticException ex) {
			return false;
		}
		return GatewayHeaders.putEpochNanos(headers, name, instant);
	}

	private static boolean isKnown(PriorityLevel priority) {
		return priority == PriorityLevel.P30 || priority == PriorityLevel.P20 || priority == PriorityLevel.P10;
	}

}
