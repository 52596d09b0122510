package io.eventgateway.bench;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OverloadPlanTests {

	@Test
	void documentedRunLoadsFiveMinutesAtFourTimesCapacityAfterTheLongestWarmUp() {
		OverloadPlan plan = OverloadPlan.of(300, 4, Duration.ofMinutes(5));

		assertThat(plan.offered()).isEqualTo(1200);
		assertThat(plan.load()).isEqualTo(Duration.ofMinutes(5));
		assertThat(plan.warmUp()).isEqualTo(OverloadPlan.MAX_WARM_UP);
		assertThat(plan.warmUpRate()).isEqualTo(150);
		// The drain alone takes about 15 minutes at capacity: the timeout leaves room for
		// it.
		assertThat(plan.drainTimeout()).isGreaterThan(Duration.ofMinutes(15));
	}

	@Test
	void shortRunWarmsUpForTheShortestWarmUp() {
		OverloadPlan plan = OverloadPlan.of(100, 4, Duration.ofSeconds(2));

		assertThat(plan.warmUp()).isEqualTo(OverloadPlan.MIN_WARM_UP);
		assertThat(plan.load()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void warmUpIsATenthOfTheLoadBetweenItsBounds() {
		assertThat(OverloadPlan.of(100, 4, Duration.ofSeconds(60)).warmUp()).isEqualTo(Duration.ofSeconds(6));
	}

	@Test
	void refusesACapacityOrFactorThatIsNotPositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> OverloadPlan.of(0, 4, Duration.ofSeconds(10)))
			.withMessageContaining("--capacity");
		assertThatIllegalArgumentException().isThrownBy(() -> OverloadPlan.of(100, 0, Duration.ofSeconds(10)))
			.withMessageContaining("--factor");
		assertThatIllegalArgumentException().isThrownBy(() -> OverloadPlan.of(100, 4, Duration.ZERO))
			.withMessageContaining("--duration");
	}

}
