package io.eventgateway.bench;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class BurstPlanTests {

	private static final long MIB = 1024 * 1024;

	private static final Map<Priority, Long> THRESHOLDS = Map.of(Priority.P30, 20 * MIB, Priority.P20, 15 * MIB,
			Priority.P10, 10 * MIB);

	@Test
	void burstOverfillsTheThresholdsTogetherByHalf() {
		BurstPlan plan = BurstPlan.of(200, Duration.ofSeconds(4), THRESHOLDS);

		assertThat(plan.rate()).isEqualTo(2000);
		assertThat(plan.length()).isEqualTo(Duration.ofSeconds(1));
		assertThat(plan.events()).isEqualTo(2000);
		assertThat(plan.reachesThresholds()).isTrue();
		assertThat((double) plan.heldBytes()).isGreaterThanOrEqualTo(BurstPlan.OVERFILL * 45 * MIB);
	}

	@Test
	void p20AndP10OverfillTheirOwnThresholdsAndP30TakesTheRest() {
		BurstPlan plan = BurstPlan.of(300, Duration.ofSeconds(30), THRESHOLDS);

		assertThat(plan.shares().get(Priority.P20)).isCloseTo(2.0 * 15 / (3.0 * 45), within(1e-9));
		assertThat(plan.shares().get(Priority.P10)).isCloseTo(2.0 * 10 / (3.0 * 45), within(1e-9));
		assertThat(plan.shares().get(Priority.P30)).isCloseTo(1 - 2.0 * 25 / (3.0 * 45), within(1e-9));
		// P30, which the workers drain while the burst arrives, gets the most over its
		// threshold.
		assertThat(plan.shares().get(Priority.P30) * BurstPlan.OVERFILL * 45).isGreaterThan(2 * 20.0);
	}

	@Test
	void longerBurstCarriesSmallerEvents() {
		assertThat(BurstPlan.of(300, Duration.ofSeconds(60), THRESHOLDS).payloadBytes())
			.isLessThan(BurstPlan.of(300, Duration.ofSeconds(11), THRESHOLDS).payloadBytes());
	}

	@Test
	void burstTooShortForEventsOfTheLargestSizeSaysSo() {
		BurstPlan plan = BurstPlan.of(10, Duration.ofSeconds(1), THRESHOLDS);

		assertThat(plan.reachesThresholds()).isFalse();
		assertThat(plan.payloadBytes()).isEqualTo(BurstPlan.MAX_PAYLOAD_BYTES);
	}

	@Test
	void refusesAMissingThreshold() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BurstPlan.of(200, Duration.ofSeconds(4), Map.of(Priority.P30, MIB)))
			.withMessageContaining("P20");
	}

}
