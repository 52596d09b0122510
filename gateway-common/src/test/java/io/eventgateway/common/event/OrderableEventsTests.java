package io.eventgateway.common.event;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks an event must pass before it is ordered or given to a processor. */
class OrderableEventsTests {

	private static final Event GOOD = Event.newBuilder()
		.setEventId("e-1")
		.setPriorityLevel(PriorityLevel.P20)
		.setSloDeadline(ProtoTime.timestamp(Instant.parse("2027-01-01T00:00:00Z")))
		.build();

	@Test
	void aCompleteEventHasNoProblem() {
		assertThat(OrderableEvents.problem(GOOD)).isNull();
	}

	@Test
	void eachMissingOrInvalidFieldIsNamed() {
		assertThat(OrderableEvents.problem(GOOD.toBuilder().clearEventId().build())).isEqualTo("no event id");
		assertThat(OrderableEvents.problem(GOOD.toBuilder().clearSloDeadline().build()))
			.isEqualTo("no valid SLO deadline");
		assertThat(OrderableEvents
			.problem(GOOD.toBuilder().setSloDeadline(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build()))
			.isEqualTo("no valid SLO deadline");
		assertThat(OrderableEvents.problem(GOOD.toBuilder().setAttempt(-2).build())).isEqualTo("negative attempt -2");
		assertThat(OrderableEvents
			.problem(GOOD.toBuilder().setPriorityLevel(PriorityLevel.PRIORITY_LEVEL_UNSPECIFIED).build()))
			.startsWith("unknown priority");
		assertThat(OrderableEvents.problem(GOOD.toBuilder().setPriorityLevelValue(7).build()))
			.startsWith("unknown priority");
	}

}
