package io.eventgateway.common.event;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PriorityTests {

	@Test
	void deadlineIsIngestTimePlusTheSloOfThePriority() {
		Instant ingestedAt = Instant.parse("2026-01-01T00:00:00Z");
		assertThat(Priority.P30.deadlineFor(ingestedAt)).isEqualTo(ingestedAt.plusSeconds(5));
		assertThat(Priority.P20.deadlineFor(ingestedAt)).isEqualTo(ingestedAt.plus(Duration.ofMinutes(1)));
		assertThat(Priority.P10.deadlineFor(ingestedAt)).isEqualTo(ingestedAt.plus(Duration.ofMinutes(20)));
	}

	@Test
	void demotionStepsDownOneLevelAndStopsAtP10() {
		assertThat(Priority.P30.demoted()).isEqualTo(Priority.P20);
		assertThat(Priority.P20.demoted()).isEqualTo(Priority.P10);
		assertThat(Priority.P10.demoted()).isEqualTo(Priority.P10);
	}

	@Test
	void wireValuesRoundTrip() {
		for (Priority priority : Priority.values()) {
			assertThat(Priority.fromProto(priority.toProto())).isEqualTo(priority);
			assertThat(priority.toProto().getNumber()).isEqualTo(priority.level());
		}
	}

	@Test
	void unspecifiedWireValueIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Priority.fromProto(PriorityLevel.PRIORITY_LEVEL_UNSPECIFIED));
	}

	@Test
	void parseAcceptsNameOrLevelInAnyCase() {
		assertThat(Priority.parse("p30")).isEqualTo(Priority.P30);
		assertThat(Priority.parse(" P20 ")).isEqualTo(Priority.P20);
		assertThat(Priority.parse("10")).isEqualTo(Priority.P10);
	}

	@Test
	void parseNamesTheAcceptedValuesOnError() {
		assertThatIllegalArgumentException().isThrownBy(() -> Priority.parse("P40"))
			.withMessageContaining("P40")
			.withMessageContaining("expected P30, P20 or P10");
	}

}
