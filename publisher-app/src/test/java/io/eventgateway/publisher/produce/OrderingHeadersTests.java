package io.eventgateway.publisher.produce;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;

class OrderingHeadersTests {

	@Test
	void anEventGetsItsIdPriorityDeadlineAndIngestTimeToTheNanosecond() {
		Instant ingestedAt = Instant.parse("2026-11-29T20:30:00.123456789Z");
		Event event = TestEvents.event("e-1", "acme", Priority.P20)
			.toBuilder()
			.setIngestedAt(ProtoTime.timestamp(ingestedAt))
			.setSloDeadline(ProtoTime.timestamp(ingestedAt.plusSeconds(60)))
			.build();
		Headers headers = new RecordHeaders();

		assertThat(OrderingHeaders.add(headers, event)).isTrue();

		assertThat(GatewayHeaders.getString(headers, GatewayHeaders.EVENT_ID)).isEqualTo("e-1");
		assertThat(GatewayHeaders.getLong(headers, GatewayHeaders.PRIORITY, -1)).isEqualTo(20);
		assertThat(GatewayHeaders.getEpochNanos(headers, GatewayHeaders.INGESTED_AT)).isEqualTo(ingestedAt);
		assertThat(GatewayHeaders.getEpochNanos(headers, GatewayHeaders.SLO_DEADLINE))
			.isEqualTo(ingestedAt.plusSeconds(60));
	}

	@Test
	void anEventMissingAValueGetsNoneOfTheFourSoReadersDecodeItsPayload() {
		Event event = TestEvents.event("e-1", "acme", Priority.P30);

		assertNoHeaders(event.toBuilder().clearSloDeadline().build());
		assertNoHeaders(event.toBuilder().clearIngestedAt().build());
		assertNoHeaders(event.toBuilder().clearPriorityLevel().build());
		assertNoHeaders(event.toBuilder().clearEventId().build());
	}

	@Test
	void aTimeBeyondWhatNanosecondsSinceTheEpochHoldGetsNoneOfTheFour() {
		Event event = TestEvents.event("e-1", "acme", Priority.P10)
			.toBuilder()
			.setSloDeadline(Timestamp.newBuilder().setSeconds(253_402_300_799L))
			.build();

		assertNoHeaders(event);
		assertNoHeaders(event.toBuilder().setSloDeadline(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build());
	}

	private static void assertNoHeaders(Event event) {
		Headers headers = new RecordHeaders();
		assertThat(OrderingHeaders.add(headers, event)).isFalse();
		assertThat(headers.toArray()).isEmpty();
	}

}
