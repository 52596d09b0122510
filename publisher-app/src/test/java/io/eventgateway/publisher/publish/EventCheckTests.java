package io.eventgateway.publisher.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;

class EventCheckTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final EventCheck check = new EventCheck(new EventCheck.Limits(1024, 10, Duration.ofMinutes(1),
			Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(1)), Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void anEventAsIngestStampsItPasses() {
		assertThat(this.check.problemOf(valid().build())).isNull();
		assertThat(this.check.problemOf(valid().setAttempt(10).putTags("rule", "interactive").build())).isNull();
	}

	@Test
	void aDelayedEventsDeadlineCountsFromItsNotBefore() {
		Instant due = NOW.plus(Duration.ofMinutes(90));
		Event delayed = valid().setNotBefore(ProtoTime.timestamp(due))
			.setSloDeadline(ProtoTime.timestamp(due.plus(Duration.ofMinutes(20))))
			.build();

		assertThat(this.check.problemOf(delayed)).isNull();
	}

	@Test
	void aDelayedEventIsBoundOnlyByTheTopicsRetention() {
		Instant ingested = NOW.minusSeconds(5);
		Instant withinRetention = ingested.plus(Duration.ofHours(23));
		Instant pastRetention = ingested.plus(Duration.ofHours(25));

		assertThat(this.check.problemOf(delayedUntil(withinRetention))).isNull();
		assertThat(this.check.problemOf(delayedUntil(pastRetention))).isEqualTo(
				"INVALID_ARGUMENT: not_before must be at most PT24H (gateway.topics.retention) after ingested_at");
	}

	private static Event delayedUntil(Instant due) {
		return valid().setNotBefore(ProtoTime.timestamp(due))
			.setSloDeadline(ProtoTime.timestamp(due.plus(Duration.ofMinutes(20))))
			.build();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidEvents")
	void anEventOutsideTheBoundsIsRefusedNamingTheField(String field, UnaryOperator<Event.Builder> change) {
		assertThat(this.check.problemOf(change.apply(valid()).build())).startsWith("INVALID_ARGUMENT: " + field);
	}

	static Object[][] invalidEvents() {
		Instant ingested = NOW.minusSeconds(5);
		return new Object[][] { { "event_id", op((e) -> e.setEventId("")) },
				{ "event_id", op((e) -> e.setEventId("x".repeat(129))) },
				{ "company_id", op((e) -> e.setCompanyId(" ")) },
				{ "company_id", op((e) -> e.setCompanyId("x".repeat(129))) },
				{ "company_id", op((e) -> e.setCompanyId("acme\n")) },
				{ "event_type", op((e) -> e.setEventType("x".repeat(257))) },
				{ "source_name", op((e) -> e.setSourceName("x".repeat(257))) },
				{ "request_id", op((e) -> e.setRequestId("x".repeat(129))) },
				{ "priority_level", op(Event.Builder::clearPriorityLevel) },
				{ "priority_level", op((e) -> e.setPriorityLevelValue(99)) },
				{ "ingested_at", op(Event.Builder::clearIngestedAt) },
				{ "ingested_at", op((e) -> e.setIngestedAt(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))) },
				{ "ingested_at", op((e) -> e.setIngestedAt(ProtoTime.timestamp(NOW.plus(Duration.ofMinutes(2))))) },
				{ "ingested_at", op((e) -> e.setIngestedAt(ProtoTime.timestamp(NOW.minus(Duration.ofHours(2))))) },
				{ "slo_deadline", op(Event.Builder::clearSloDeadline) },
				{ "slo_deadline", op((e) -> e.setSloDeadline(ProtoTime.timestamp(ingested))) },
				{ "slo_deadline", op((e) -> e.setSloDeadline(ProtoTime.timestamp(ingested.plus(Duration.ofDays(1))))) },
				{ "not_before", op((e) -> e.setNotBefore(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))) },
				{ "not_before", op((e) -> e.setNotBefore(ProtoTime.timestamp(ingested.plus(Duration.ofDays(2))))) },
				{ "slo_deadline must be after not_before",
						op((e) -> e.setNotBefore(ProtoTime.timestamp(ingested.plus(Duration.ofMinutes(30))))) },
				{ "slo_deadline must be at most",
						op((e) -> e.setNotBefore(ProtoTime.timestamp(ingested.plusSeconds(60)))
							.setSloDeadline(ProtoTime.timestamp(ingested.plus(Duration.ofMinutes(62))))) },
				{ "attempt", op((e) -> e.setAttempt(-1)) }, { "attempt", op((e) -> e.setAttempt(11)) },
				{ "raw_payload", op((e) -> e.setRawPayload(ByteString.copyFrom(new byte[1025]))) },
				{ "tags", op((e) -> {
					for (int i = 0; i <= 16; i++) {
						e.putTags("t" + i, "v");
					}
					return e;
				}) }, { "tags[rule]", op((e) -> e.putTags("rule", "x".repeat(257))) } };
	}

	private static UnaryOperator<Event.Builder> op(UnaryOperator<Event.Builder> change) {
		return change;
	}

	private static Event.Builder valid() {
		Instant ingested = NOW.minusSeconds(5);
		return Event.newBuilder()
			.setEventId("e-1")
			.setCompanyId("acme")
			.setEventType("order.placed")
			.setSourceName("shop")
			.setIngestedAt(ProtoTime.timestamp(ingested))
			.setSloDeadline(ProtoTime.timestamp(Priority.P10.deadlineFor(ingested)))
			.setPriorityLevel(PriorityLevel.P10)
			.setRawPayload(ByteString.copyFromUtf8("{}"));
	}

}
