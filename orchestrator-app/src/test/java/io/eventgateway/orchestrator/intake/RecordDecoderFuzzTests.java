package io.eventgateway.orchestrator.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.google.protobuf.Timestamp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.task.ReadRecord;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a source topic holds, decoding a record yields a task or a foreign record with
 * a reason, never an exception that would end the consumer's loop. Runs briefly in the
 * build; for a longer run:
 * {@code ./mvnw -pl orchestrator-app test -Dtest='*FuzzTests' -Djqwik.tries.default=200000}.
 */
class RecordDecoderFuzzTests {

	private static final Event VALID = Event.newBuilder()
		.setEventId("e-1")
		.setCompanyId("acme")
		.setPriorityLevel(PriorityLevel.P30)
		.setIngestedAt(Timestamp.newBuilder().setSeconds(1_800_000_000L))
		.setSloDeadline(Timestamp.newBuilder().setSeconds(1_800_000_005L))
		.build();

	@Property
	void arbitraryBytesDecodeOrAreRefused(@ForAll byte[] value) {
		decodesOrRefuses(record(value, new RecordHeaders()));
	}

	@Property
	void mutatedEventsDecodeOrAreRefused(@ForAll("mutatedEvents") byte[] value) {
		decodesOrRefuses(record(value, new RecordHeaders()));
	}

	@Property
	void eventsWithAnyTimesAndPrioritiesDecodeOrAreRefused(@ForAll("oddEvents") Event event) {
		decodesOrRefuses(record(event.toByteArray(), new RecordHeaders()));
	}

	@Property
	void arbitraryOriginHeadersDecodeOrAreRefused(@ForAll byte[] topic, @ForAll byte[] partition,
			@ForAll byte[] offset) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(GatewayHeaders.ORIGINAL_TOPIC, topic);
		headers.add(GatewayHeaders.ORIGINAL_PARTITION, partition);
		headers.add(GatewayHeaders.ORIGINAL_OFFSET, offset);
		decodesOrRefuses(record(VALID.toByteArray(), headers));
	}

	@Property
	void arbitraryOrderingHeadersDecodeOrAreRefused(@ForAll byte[] value, @ForAll byte[] eventId,
			@ForAll byte[] priority, @ForAll byte[] deadline, @ForAll byte[] ingestedAt) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(GatewayHeaders.EVENT_ID, eventId);
		headers.add(GatewayHeaders.PRIORITY, priority);
		headers.add(GatewayHeaders.SLO_DEADLINE, deadline);
		headers.add(GatewayHeaders.INGESTED_AT, ingestedAt);
		decodesOrRefuses(record(value, headers));
	}

	@Property
	void wellFormedOrderingHeadersWithAnyTimesDecode(@ForAll long deadlineNanos, @ForAll long ingestedAtNanos,
			@ForAll byte[] value) {
		RecordHeaders headers = new RecordHeaders();
		GatewayHeaders.putString(headers, GatewayHeaders.EVENT_ID, "e-1");
		GatewayHeaders.putLong(headers, GatewayHeaders.PRIORITY, 20);
		GatewayHeaders.putLong(headers, GatewayHeaders.SLO_DEADLINE, deadlineNanos);
		GatewayHeaders.putLong(headers, GatewayHeaders.INGESTED_AT, ingestedAtNanos);
		if (value.length > 0) {
			assertThat(decoded(record(value, headers)).deadline()).isNotNull();
		}
	}

	@Example
	void aTombstoneIsForeign() {
		assertThat(foreignReason(record(null, new RecordHeaders()))).isEqualTo("no value (tombstone)");
	}

	@Example
	void anEmptyValueIsForeign() {
		assertThat(foreignReason(record(new byte[0], new RecordHeaders()))).isEqualTo("empty value");
	}

	@Example
	void anEventWithoutIdOrDeadlineIsForeign() {
		assertThat(foreignReason(record(VALID.toBuilder().clearEventId().build().toByteArray(), new RecordHeaders())))
			.isEqualTo("no event id");
		assertThat(
				foreignReason(record(VALID.toBuilder().clearSloDeadline().build().toByteArray(), new RecordHeaders())))
			.isEqualTo("no valid SLO deadline");
	}

	@Example
	void anUnknownPriorityOrANegativeAttemptIsForeign() {
		assertThat(foreignReason(
				record(VALID.toBuilder().setPriorityLevelValue(17).build().toByteArray(), new RecordHeaders())))
			.startsWith("unknown priority");
		assertThat(foreignReason(record(VALID.toBuilder().setAttempt(-3).build().toByteArray(), new RecordHeaders())))
			.isEqualTo("negative attempt -3");
	}

	@Example
	void anotherMessageTypeIsForeign() {
		byte[] signal = io.eventgateway.proto.v1.FlowControlSignal.newBuilder()
			.setReplica(3)
			.setReason("not an event")
			.build()
			.toByteArray();
		assertThat(RecordDecoder.decode(record(signal, new RecordHeaders()))).isInstanceOf(ReadRecord.Foreign.class);
	}

	@Example
	void aDeadlineBeyondTheRangeOfInstantIsRefused() {
		// Found by eventsWithAnyTimesAndPrioritiesDecodeOrAreRefused: the time conversion
		// threw DateTimeException, which escaped and ended the consumer's loop.
		Event event = VALID.toBuilder().setSloDeadline(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build();

		assertThat(foreignReason(record(event.toByteArray(), new RecordHeaders()))).isEqualTo("no valid SLO deadline");
	}

	@Example
	void aValidEventDecodesWithItsOwnBytes() {
		BufferedTask task = decoded(record(VALID.toByteArray(), new RecordHeaders()));

		assertThat(task.event()).isEqualTo(VALID);
		assertThat(task.serializedEvent().toByteArray()).isEqualTo(VALID.toByteArray());
		assertThat(task.origin()).isEqualTo(task.position());
	}

	@Example
	void anOriginFromHeadersIsKept() {
		RecordHeaders headers = new RecordHeaders();
		headers.add(GatewayHeaders.ORIGINAL_TOPIC, "events.p30".getBytes(StandardCharsets.UTF_8));
		headers.add(GatewayHeaders.ORIGINAL_PARTITION, ByteBuffer.allocate(Long.BYTES).putLong(2).array());
		headers.add(GatewayHeaders.ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(77).array());

		BufferedTask task = decoded(record(VALID.toByteArray(), headers));

		assertThat(task.origin().topic()).isEqualTo("events.p30");
		assertThat(task.origin().partition()).isEqualTo(2);
		assertThat(task.origin().offset()).isEqualTo(77);
	}

	@Provide
	Arbitrary<byte[]> mutatedEvents() {
		byte[] valid = VALID.toByteArray();
		return Combinators
			.combine(Arbitraries.integers().between(0, valid.length - 1), Arbitraries.bytes(),
					Arbitraries.integers().between(0, valid.length))
			.as((at, replacement, cut) -> {
				byte[] mutated = java.util.Arrays.copyOf(valid, cut);
				if (at < mutated.length) {
					mutated[at] = replacement;
				}
				return mutated;
			});
	}

	@Provide
	Arbitrary<Event> oddEvents() {
		Arbitrary<Timestamp> times = Combinators.combine(Arbitraries.longs(), Arbitraries.integers())
			.as((seconds, nanos) -> Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build());
		Arbitrary<Optional<Timestamp>> maybeTimes = times.optional();
		return Combinators
			.combine(maybeTimes, maybeTimes, Arbitraries.integers().between(-1, 40),
					Arbitraries.strings().ofMaxLength(8))
			.as((ingestedAt, deadline, level, id) -> {
				Event.Builder event = VALID.toBuilder().clearIngestedAt().clearSloDeadline().setEventId(id);
				ingestedAt.ifPresent(event::setIngestedAt);
				deadline.ifPresent(event::setSloDeadline);
				return event.setPriorityLevelValue(level).build();
			});
	}

	private static void decodesOrRefuses(ConsumerRecord<String, byte[]> record) {
		ReadRecord read = RecordDecoder.decode(record);
		assertThat(read.position().offset()).isEqualTo(record.offset());
		if (read instanceof ReadRecord.Decoded decoded) {
			assertThat(decoded.task().priority()).isNotNull();
			assertThat(decoded.task().deadline()).isNotNull();
		}
		else {
			assertThat(((ReadRecord.Foreign) read).record().reason()).isNotBlank();
		}
	}

	private static String foreignReason(ConsumerRecord<String, byte[]> record) {
		ReadRecord read = RecordDecoder.decode(record);
		assertThat(read).isInstanceOf(ReadRecord.Foreign.class);
		return ((ReadRecord.Foreign) read).record().reason();
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
