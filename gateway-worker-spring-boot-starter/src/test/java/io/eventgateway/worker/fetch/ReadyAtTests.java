package io.eventgateway.worker.fetch;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyAtTests {

	private static final Instant ACCEPTED = Instant.parse("2026-11-30T00:00:00Z");

	@Test
	void anUndelayedEventIsReadyWhenAccepted() {
		Event event = Event.newBuilder().setIngestedAt(ProtoTime.timestamp(ACCEPTED)).build();
		assertThat(FetchLoop.readyAt(event)).isEqualTo(ACCEPTED);
	}

	@Test
	void aDelayedEventIsReadyWhenDueSoItsDelayIsNotCountedAsHandOffLatency() {
		Instant due = ACCEPTED.plusSeconds(600);
		Event event = Event.newBuilder()
			.setIngestedAt(ProtoTime.timestamp(ACCEPTED))
			.setNotBefore(ProtoTime.timestamp(due))
			.build();
		assertThat(FetchLoop.readyAt(event)).isEqualTo(due);
	}

	@Test
	void aNotBeforeEarlierThanAcceptanceChangesNothing() {
		Event event = Event.newBuilder()
			.setIngestedAt(ProtoTime.timestamp(ACCEPTED))
			.setNotBefore(ProtoTime.timestamp(ACCEPTED.minusSeconds(5)))
			.build();
		assertThat(FetchLoop.readyAt(event)).isEqualTo(ACCEPTED);
	}

}
