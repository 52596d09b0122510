package io.eventgateway.client;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BatchBufferTests {

	private static final long LINGER = 5_000_000;

	@Test
	void aBatchClosesAtTheEventCount() {
		BatchBuffer<String> buffer = new BatchBuffer<>(3, 1_000, LINGER, (item) -> 10);
		assertThat(buffer.add("a", 0)).isEmpty();
		assertThat(buffer.add("b", 0)).isEmpty();
		assertThat(buffer.add("c", 0)).containsExactly(List.of("a", "b", "c"));
		assertThat(buffer.isEmpty()).isTrue();
	}

	@Test
	void aBatchClosesBeforeAnEventThatWouldPassTheByteLimit() {
		BatchBuffer<String> buffer = new BatchBuffer<>(100, 25, LINGER, (item) -> 10);
		assertThat(buffer.add("a", 0)).isEmpty();
		assertThat(buffer.add("b", 0)).isEmpty();
		assertThat(buffer.add("c", 0)).containsExactly(List.of("a", "b"));
		assertThat(buffer.drain()).containsExactly("c");
	}

	@Test
	void aBatchClosesWhenItReachesTheByteLimitExactly() {
		BatchBuffer<String> buffer = new BatchBuffer<>(100, 20, LINGER, (item) -> 10);
		assertThat(buffer.add("a", 0)).isEmpty();
		assertThat(buffer.add("b", 0)).containsExactly(List.of("a", "b"));
	}

	@Test
	void anEventLargerThanTheByteLimitTravelsAlone() {
		BatchBuffer<String> buffer = new BatchBuffer<>(100, 20, LINGER, (item) -> item.equals("big") ? 50 : 5);
		assertThat(buffer.add("a", 0)).isEmpty();
		assertThat(buffer.add("big", 0)).containsExactly(List.of("a"), List.of("big"));
		assertThat(buffer.isEmpty()).isTrue();
	}

	@Test
	void aBatchIsDueWhenItsOldestEventHasLingered() {
		BatchBuffer<String> buffer = new BatchBuffer<>(100, 1_000, LINGER, (item) -> 1);
		buffer.add("a", 1_000);
		buffer.add("b", 3_000_000);
		assertThat(buffer.dueAtNanos()).isEqualTo(1_000 + LINGER);
		assertThat(buffer.drainIfDue(LINGER)).isEmpty();
		assertThat(buffer.drainIfDue(1_000 + LINGER)).containsExactly("a", "b");
		assertThat(buffer.dueAtNanos()).isEqualTo(-1);
	}

	@Test
	void theLingerClockRestartsWithTheNextBatch() {
		BatchBuffer<String> buffer = new BatchBuffer<>(2, 1_000, LINGER, (item) -> 1);
		buffer.add("a", 0);
		buffer.add("b", 0);
		buffer.add("c", 4_000_000);
		assertThat(buffer.drainIfDue(LINGER)).isEmpty();
		assertThat(buffer.drainIfDue(4_000_000 + LINGER)).containsExactly("c");
	}

}
