package io.eventgateway.bench;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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

	@Test
	void liftedCapacityLetsAWarmUpAtTheMeasuredRateThrough() {
		// One event a second: limited, these 20 events would take 19 s.
		BenchProcessor processor = new BenchProcessor(1);
		processor.lift();

		processWithin(Duration.ofSeconds(10), processor, "lifted-", 20);
		assertThat(processor.processed()).hasSize(20);
	}

	@Test
	void theCapacityHoldsAgainFromWhenItIsTakenUpWithNoDebtFromTheLiftedEvents() {
		// Ten events a second: three events take at least 300 ms once limited again; had
		// the 20 lifted events taken slots, they would take more than two seconds.
		BenchProcessor processor = new BenchProcessor(10);
		processor.lift();
		processWithin(Duration.ofSeconds(1), processor, "lifted-", 20);
		processor.limitAgain();

		long start = System.nanoTime();
		processWithin(Duration.ofSeconds(2), processor, "limited-", 3);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
	}

	/**
	 * Processes {@code count} events, failing if that takes longer than {@code timeout}.
	 */
	private static void processWithin(Duration timeout, BenchProcessor processor, String idPrefix, int count) {
		assertTimeoutPreemptively(timeout, () -> {
			for (int i = 0; i < count; i++) {
				processor.process(event(idPrefix + i));
			}
		});
	}

	private static Event event(String id) {
		return Event.newBuilder()
			.setEventId(id)
			.setEventType(IngestRequests.eventType(Priority.P30, "bench"))
			.setPriorityLevel(PriorityLevel.P30)
			.build();
	}

}
