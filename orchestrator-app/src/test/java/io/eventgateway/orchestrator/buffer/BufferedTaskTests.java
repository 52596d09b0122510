package io.eventgateway.orchestrator.buffer;

import java.time.Instant;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;

/** What a task is counted as in memory, and when it became ready. */
class BufferedTaskTests {

	private static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");

	@Test
	void anIdWithCharactersBeyondLatin1CountsTwoBytesPerCharacter() {
		assertThat(bytesWithId("abcd") - bytesWithId("")).isEqualTo(4);
		assertThat(bytesWithId("abc\u20ac") - bytesWithId("")).isEqualTo(8);
	}

	@Test
	void anUndelayedTaskIsReadyWhenIngested() {
		assertThat(task(Priority.P20, Priority.P20.deadlineFor(NOW), NOW).readyAt()).isEqualTo(NOW);
	}

	@Test
	void aDelayedTaskIsReadyWhenDueNotWhenIngested() {
		Instant due = NOW.plusSeconds(600);
		assertThat(task(Priority.P30, Priority.P30.deadlineFor(due), NOW).readyAt()).isEqualTo(due);
	}

	@Test
	void aDemotedRetryIsNeverReadyBeforeItWasIngested() {
		// Its deadline is P30's, its SLO now P20's longer one.
		assertThat(task(Priority.P20, Priority.P30.deadlineFor(NOW), NOW).readyAt()).isEqualTo(NOW);
	}

	private static BufferedTask task(Priority priority, Instant deadline, Instant ingestedAt) {
		Position position = new Position("events.p30", 0, 0);
		return BufferedTask.of(new BufferedTask.Ordering("id", priority, deadline, ingestedAt),
				ByteString.copyFromUtf8("v"), position, position);
	}

	private static long bytesWithId(String id) {
		Position position = new Position("events.p30", 0, 0);
		return BufferedTask
			.of(new BufferedTask.Ordering(id, Priority.P30, NOW, NOW), ByteString.copyFromUtf8("v"), position, position)
			.bytes();
	}

}
