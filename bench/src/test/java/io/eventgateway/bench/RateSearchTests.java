package io.eventgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RateSearchTests {

	@Test
	void doublesThenBisectsToWithinTenPercentOfTheLimit() {
		RateSearch search = new RateSearch(1000, 20);

		List<Integer> offered = run(search, 11_000);

		assertThat(offered).startsWith(1000, 2000, 4000, 8000, 16_000, 12_000, 10_000, 11_000);
		assertThat(search.ceilingHit()).isFalse();
		assertThat(search.resolution()).isLessThanOrEqualTo(RateSearch.RESOLUTION);
		assertThat(search.best()).isBetween(10_000, 11_000);
	}

	@Test
	void saysWhenEveryStepWasSustainedSoTheResultIsOnlyALowerBound() {
		RateSearch search = new RateSearch(1000, 6);

		List<Integer> offered = run(search, 1_000_000);

		assertThat(offered).containsExactly(1000, 2000, 4000, 8000, 16_000, 32_000);
		assertThat(search.ceilingHit()).isTrue();
		assertThat(search.best()).isEqualTo(32_000);
		assertThat(search.resolution()).isNaN();
	}

	@Test
	void doublesPastThirtyTwoThousandWhenTheBudgetAllows() {
		RateSearch search = new RateSearch(1000, 12);

		run(search, 100_000);

		assertThat(search.ceilingHit()).isFalse();
		assertThat(search.best()).isGreaterThan(64_000);
	}

	@Test
	void stopsWhenTheBudgetRunsOutAndReportsTheResolutionReached() {
		RateSearch search = new RateSearch(1000, 5);

		run(search, 5000);

		assertThat(search.steps()).isEqualTo(5);
		assertThat(search.best()).isEqualTo(4000);
		assertThat(search.failed()).isEqualTo(6000);
		assertThat(search.resolution()).isEqualTo(0.5);
	}

	@Test
	void theBudgetHoldsWholeStepsAndAtLeastOne() {
		assertThat(RateSearch.stepsWithin(Duration.ofMinutes(4), Duration.ofSeconds(24))).isEqualTo(10);
		assertThat(RateSearch.stepsWithin(Duration.ofSeconds(4), Duration.ofSeconds(24))).isEqualTo(1);
		assertThatIllegalArgumentException().isThrownBy(() -> new RateSearch(0, 3)).withMessageContaining("--rate");
	}

	/** Runs the search against a gateway that sustains up to {@code limit}/s. */
	private static List<Integer> run(RateSearch search, int limit) {
		List<Integer> offered = new ArrayList<>();
		while (search.hasNext()) {
			int rate = search.next();
			offered.add(rate);
			search.record(rate <= limit);
		}
		return offered;
	}

}
