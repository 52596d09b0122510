package io.eventgateway.orchestrator.memory;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MemoryBudgetTests {

	private static final long MB = 1024 * 1024;

	private final MemoryBudget budget = new MemoryBudget(1000 * MB);

	@Test
	void defaultThresholdsAndFetchSizesFitAModestHeap() {
		// 65% of 1000MB plus 5 consumers x 2 x 8MB: 730MB of the 900MB allowed.
		assertThatCode(() -> this.budget.check(65, 5, 8 * MB)).doesNotThrowAnyException();
	}

	@Test
	void thresholdsAloneMayFillNinetyPercent() {
		assertThatCode(() -> this.budget.check(90, 0, 8 * MB)).doesNotThrowAnyException();
		assertThatIllegalArgumentException().isThrownBy(() -> this.budget.check(90.5, 0, 8 * MB));
	}

	@Test
	void fetchBuffersCountAgainstTheSameBudget() {
		// 80% leaves 100MB: five consumers of 2 x 10MB fit exactly, of 2 x 11MB do not.
		assertThatCode(() -> this.budget.check(80, 5, 10 * MB)).doesNotThrowAnyException();
		assertThatIllegalArgumentException().isThrownBy(() -> this.budget.check(80, 5, 11 * MB));
	}

	@Test
	void kafkasDefaultFetchSizeDoesNotFitNextToTheDefaultThresholds() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.budget.check(65, 5, 50 * MB))
			.withMessageContaining("gateway.orchestrator.memory-threshold-percent.p30 + p20 + p10 (65.0% of the heap")
			.withMessageContaining("5 source consumers")
			.withMessageContaining("gateway.orchestrator.kafka.fetch-max-bytes of 50.0MB each")
			.withMessageContaining("over 90% of the max heap (900.0MB of 1000.0MB)");
	}

	@Test
	void heapMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MemoryBudget(0));
	}

}
