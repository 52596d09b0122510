package io.eventgateway.bench;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryVerdictTests {

	private static final Map<String, Long> THRESHOLDS = Map.of("p30", 1000L, "offload", 500L);

	@Test
	void passesWhenEverySourcePausedResumedAndStayedWithinTheBound() {
		assertThat(MemoryVerdict.failures(THRESHOLDS, Map.of("p30", 1100L, "offload", 540L),
				Map.of("p30", 1L, "offload", 2L), Map.of("p30", 1L, "offload", 2L)))
			.isEmpty();
	}

	@Test
	void failsASourceChargedOverItsThresholdPlusTenPercent() {
		assertThat(MemoryVerdict.failures(THRESHOLDS, Map.of("p30", 1101L, "offload", 500L),
				Map.of("p30", 1L, "offload", 1L), Map.of("p30", 1L, "offload", 1L)))
			.singleElement()
			.asString()
			.contains("p30", "plus 10%");
	}

	@Test
	void boundsOnlyThePrioritySourcesWhichAreChargedWithWhatTheyReadThemselves() {
		assertThat(MemoryVerdict.failures(THRESHOLDS, Map.of("p30", 1000L, "offload", 5000L),
				Map.of("p30", 1L, "offload", 1L), Map.of("p30", 1L, "offload", 1L)))
			.isEmpty();
	}

	@Test
	void failsASourceThatNeverPaused() {
		assertThat(MemoryVerdict.failures(THRESHOLDS, Map.of("p30", 900L, "offload", 540L), Map.of("offload", 1L),
				Map.of("offload", 1L)))
			.singleElement()
			.asString()
			.contains("p30 never paused");
	}

	@Test
	void failsASourceThatPausedAndNeverResumed() {
		assertThat(MemoryVerdict.failures(THRESHOLDS, Map.of("p30", 1000L, "offload", 500L),
				Map.of("p30", 1L, "offload", 1L), Map.of("p30", 1L)))
			.singleElement()
			.asString()
			.contains("offload paused for memory and never resumed");
	}

	@Test
	void allowsTheHeapToGrowByThePriorityThresholdsTogetherPlusTenPercent() {
		Map<String, Long> thresholds = Map.of("p30", 600L, "p20", 300L, "p10", 100L, "offload", 80L, "retry", 900L);

		assertThat(MemoryVerdict.allowedHeldBytes(thresholds)).isEqualTo(1000);
		assertThat(MemoryVerdict.heapFailure(thresholds, 5000, 6100)).isNull();
		assertThat(MemoryVerdict.heapFailure(thresholds, 5000, 6101)).contains("heap in use grew", "plus 10%");
	}

	@Test
	void allowsALargerOffloadOrRetryThresholdSinceThoseGateEveryByteHeld() {
		assertThat(MemoryVerdict.allowedHeldBytes(Map.of("p30", 200L, "p10", 100L, "retry", 900L))).isEqualTo(900);
	}

}
