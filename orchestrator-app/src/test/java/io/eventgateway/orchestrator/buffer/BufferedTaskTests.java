package io.eventgateway.orchestrator.buffer;

import java.time.Instant;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;

/** What a task is counted as in memory. */
class BufferedTaskTests {

	private static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");

	@Test
	void anIdWithCharactersBeyondLatin1CountsTwoBytesPerCharacter() {
		assertThat(bytesWithId("abcd") - bytesWithId("")).isEqualTo(4);
		assertThat(bytesWithId("abc\u20ac") - bytesWithId("")).isEqualTo(8);
	}

	private static long bytesWithId(String id) {
		Position position = new Position("events.p30", 0, 0);
		return BufferedTask
			.of(new BufferedTask.Ordering(id, Priority.P30, NOW, NOW), ByteString.copyFromUtf8("v"), position, position)
			.bytes();
	}

}
