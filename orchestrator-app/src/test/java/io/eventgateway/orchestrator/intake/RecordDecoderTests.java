package io.eventgateway.orchestrator.intake;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.task.ReadRecord;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordering from the record headers: all four well formed, the value is not decoded; any
 * missing or malformed, the value is decoded as before.
 */
class RecordDecoderTests {

	private static final Instant INGESTED_AT = Instant.parse("2027-01-15T08:00:00.123456789Z");

	private static final Instant DEADLINE = INGESTED_AT.plusSeconds(5);

	/** What the payload says: other values than the headers, to tell which was read. */
	private static final Event PAYLOAD = Event.newBuilder()
		.setEventId("payload-id")
		.setCompanyId("acme")
		.setPriorityLevel(PriorityLevel.P10)
		.setIngestedAt(Timestamp.newBuilder().setSeconds(1_800_000_000L))
		.setSloDeadline(Timestamp.newBuilder().setSeconds(1_800_001_200L))
		.build();

	@Test
	void aRecordWithTheFourOrderingHeadersIsOrderedByThemWithoutDecodingItsValue() {
		byte[] notAnEvent = "not protobuf at all".getBytes(StandardCharsets.UTF_8);

		BufferedTask task = decoded(record(notAnEvent, orderingHeaders()));

		assertThat(task.eventId()).isEqualTo("header-id");
		assertThat(task.priority()).isEqualTo(Priority.P30);
		assertThat(task.deadline()).isEqualTo(DEADLINE);
		assertThat(task.ingestedAt()).isEqualTo(INGESTED_AT);
		assertThat(task.serializedEvent().toByteArray()).isEqualTo(notAnEvent);
		assertThat(task.decodeEvent()).isEmpty();
	}

	@Test
	void headersWinOverThePayloadWhenBothAreThere() {
		BufferedTask task = decoded(record(PAYLOAD.toByteArray(), orderingHeaders()));

		assertThat(task.eventId()).isEqualTo("header-id");
		assertThat(task.priority()).isEqualTo(Priority.P30);
		assertThat(task.serializedEvent().toByteArray()).isEqualTo(PAYLOAD.toByteArray());
	}

	@Test
	void aMissingOrderingHeaderFallsBackToThePayload() {
		for (String missing : new String[] { GatewayHeaders.EVENT_ID, GatewayHeaders.PRIORITY,
				GatewayHeaders.SLO_DEADLINE, GatewayHeaders.INGESTED_AT }) {
			RecordHeaders headers = orderingHeaders();
			headers.remove(missing);

			assertThat(decoded(record(PAYLOAD.toByteArray(), headers)).eventId()).as(missing).isEqualTo("payload-id");
		}
	}

	@Test
	void aMalformedOrderingHeaderFallsBackToThePayload() {
		RecordHeaders unknownPriority = orderingHeaders();
		unknownPriority.remove(GatewayHeaders.PRIORITY);
		GatewayHeaders.putLong(unknownPriority, GatewayHeaders.PRIORITY, 17);
		RecordHeaders shortDeadline = orderingHeaders();
		shortDeadline.remove(GatewayHeaders.SLO_DEADLINE);
		shortDeadline.add(GatewayHeaders.SLO_DEADLINE, new byte[4]);
		RecordHeaders emptyId = orderingHeaders();
		emptyId.remove(GatewayHeaders.EVENT_ID);
		emptyId.add(GatewayHeaders.EVENT_ID, new byte[0]);

		for (RecordHeaders headers : new RecordHeaders[] { unknownPriority, shortDeadline, emptyId }) {
			BufferedTask task = decoded(record(PAYLOAD.toByteArray(), headers));
			assertThat(task.eventId()).isEqualTo("payload-id");
			assertThat(task.priority()).isEqualTo(Priority.P10);
		}
	}

	@Test
	void aMalformedOrderingHeaderOnAValueThatIsNotAnEventMakesItForeign() {
		RecordHeaders headers = orderingHeaders();
		headers.remove(GatewayHeaders.INGESTED_AT);

		assertThat(RecordDecoder.decode(record("junk".getBytes(StandardCharsets.UTF_8), headers)))
			.isInstanceOf(ReadRecord.Foreign.class);
	}

	@Test
	void anEventIdHeaderLongerThanAnyTheGatewayWritesIsNotCopiedAndThePayloadDecides() {
		RecordHeaders atLimit = orderingHeaders();
		GatewayHeaders.putString(atLimit, GatewayHeaders.EVENT_ID, "x".repeat(RecordDecoder.MAX_HEADER_ID_BYTES));
		RecordHeaders overLimit = orderingHeaders();
		GatewayHeaders.putString(overLimit, GatewayHeaders.EVENT_ID, "x".repeat(RecordDecoder.MAX_HEADER_ID_BYTES + 1));

		assertThat(decoded(record(PAYLOAD.toByteArray(), atLimit)).eventId())
			.hasSize(RecordDecoder.MAX_HEADER_ID_BYTES);
		assertThat(decoded(record(PAYLOAD.toByteArray(), overLimit)).eventId()).isEqualTo("payload-id");
		assertThat(RecordDecoder.decode(record("junk".getBytes(StandardCharsets.UTF_8), overLimit)))
			.isInstanceOf(ReadRecord.Foreign.class);
	}

	@Test
	void aDecodedPayloadFailingTheEventChecksIsForeignWithTheReason() {
		Event noDeadline = PAYLOAD.toBuilder().clearSloDeadline().build();
		Event unknownPriority = PAYLOAD.toBuilder().setPriorityLevelValue(99).build();

		assertThat(((ReadRecord.Foreign) RecordDecoder.decode(record(noDeadline.toByteArray(), new RecordHeaders())))
			.record()
			.reason()).isEqualTo("no valid SLO deadline");
		assertThat(
				((ReadRecord.Foreign) RecordDecoder.decode(record(unknownPriority.toByteArray(), new RecordHeaders())))
					.record()
					.reason())
			.startsWith("unknown priority");
	}

	@Test
	void aTombstoneIsForeignWhateverItsHeadersSay() {
		ReadRecord read = RecordDecoder.decode(record(null, orderingHeaders()));

		assertThat(read).isInstanceOf(ReadRecord.Foreign.class);
		assertThat(((ReadRecord.Foreign) read).record().reason()).isEqualTo("no value (tombstone)");
	}

	private static RecordHeaders orderingHeaders() {
		RecordHeaders headers = new RecordHeaders();
		GatewayHeaders.putString(headers, GatewayHeaders.EVENT_ID, "header-id");
		GatewayHeaders.putLong(headers, GatewayHeaders.PRIORITY, Priority.P30.level());
		GatewayHeaders.putEpochNanos(headers, GatewayHeaders.SLO_DEADLINE, DEADLINE);
		GatewayHeaders.putEpochNanos(headers, GatewayHeaders.INGESTED_AT, INGESTED_AT);
		return headers;
	}

	private static BufferedTask decoded(ConsumerRecord<String, byte[]> record) {
		ReadRecord read = RecordDecoder.decode(record);
		assertThat(read).isInstanceOf(ReadRecord.Decoded.class);
		return ((ReadRecord.Decoded) read).task();
	}

	private static ConsumerRecord<String, byte[]> record(byte[] value, RecordHeaders headers) {
		return new ConsumerRecord<>("events.p30", 0, 42, 0L, TimestampType.CREATE_TIME, 0, 0, "acme", value, headers,
				Optional.empty());
	}

}
