package io.eventgateway.orchestrator.flow;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.FlowControlSignal.Kind;

import static org.assertj.core.api.Assertions.assertThat;

class FlowSignalPolicyTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private static final Duration THRESHOLD = Duration.ofMinutes(5);

	@Test
	void healthyWithNothingBuffered() {
		assertThat(FlowSignalPolicy.decide(NOW, null, false, THRESHOLD))
			.isEqualTo(new FlowSignalPolicy.Decision(Kind.INCREASE, "healthy"));
	}

	@Test
	void healthyWhileTheOldestP10HasSlackToSpare() {
		assertThat(FlowSignalPolicy.decide(NOW, NOW.plus(Duration.ofMinutes(6)), false, THRESHOLD).kind())
			.isEqualTo(Kind.INCREASE);
	}

	@Test
	void decreaseWhenTheOldestP10IsCloseToItsDeadline() {
		assertThat(FlowSignalPolicy.decide(NOW, NOW.plus(Duration.ofMinutes(4)), false, THRESHOLD))
			.isEqualTo(new FlowSignalPolicy.Decision(Kind.DECREASE, "p10-slack"));
	}

	@Test
	void decreaseWhenTheOldestP10IsLateAlready() {
		assertThat(FlowSignalPolicy.decide(NOW, NOW.minusSeconds(1), false, THRESHOLD).kind()).isEqualTo(Kind.DECREASE);
	}

	@Test
	void decreaseWhileTheP10ConsumerIsPaused() {
		assertThat(FlowSignalPolicy.decide(NOW, null, true, THRESHOLD))
			.isEqualTo(new FlowSignalPolicy.Decision(Kind.DECREASE, "p10-paused"));
	}

}
