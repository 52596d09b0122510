package io.eventgateway.bench;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;

class BenchProcessorTests {

	@Test
	void latencyCountsUnderThePriorityTheLoadOfferedNotTheOneTheEventCarries() {
		// The FIFO baseline gives every event P20; a P30 event there is still a P30
		// event.
		Event event = Event.newBuilder()
			.setEventType(IngestRequests.eventType(Priority.P30, "bench"))
			.setPriorityLevel(PriorityLevel.P20)
			.build();

		assertThat(BenchProcessor.offeredPriority(event)).isEqualTo(Priority.P30);
	}

	@Test
	void eventOfAnotherTypeCountsUnderThePriorityItCarries() {
		Event event = Event.newBuilder().setEventType("order.placed").setPriorityLevel(PriorityLevel.P20).build();

		assertThat(BenchProcessor.offeredPriority(event)).isEqualTo(Priority.P20);
	}

}
