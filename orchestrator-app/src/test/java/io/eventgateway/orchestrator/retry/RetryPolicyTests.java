package io.eventgateway.orchestrator.retry;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyTests {

	private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(5), 4);

	@Test
	void eachLevelWaitsBaseTimesMultiplierToThePowerOfTheLevelBelow() {
		assertThat(this.policy.decide(1)).isEqualTo(RetryDecision.retry(1, Duration.ofSeconds(5)));
		assertThat(this.policy.decide(2)).isEqualTo(RetryDecision.retry(2, Duration.ofSeconds(20)));
		assertThat(this.policy.decide(3)).isEqualTo(RetryDecision.retry(3, Duration.ofSeconds(80)));
	}

	@Test
	void failingAfterTheLastLevelDeadLetters() {
		assertThat(this.policy.decide(4).isDeadLetter()).isTrue();
		assertThat(this.policy.decide(9).isDeadLetter()).isTrue();
	}

	@Test
	void withoutLevelsTheFirstFailureDeadLetters() {
		assertThat(new RetryPolicy(0, Duration.ofSeconds(1), 2).decide(1).isDeadLetter()).isTrue();
	}

	@Test
	void multiplierOfOneKeepsTheDelayConstant() {
		RetryPolicy constant = new RetryPolicy(2, Duration.ofMillis(300), 1);
		assertThat(constant.decide(2).delay()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void invalidSettingsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(-1, Duration.ZERO, 2));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(-1), 2));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(1, Duration.ZERO, 0.5))
			.withMessageContaining("multiplier");
		assertThatIllegalArgumentException().isThrownBy(() -> this.policy.decide(0));
	}

}
