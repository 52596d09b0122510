package io.eventgateway.worker.fetch;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefetchTimingTests {

	private final PrefetchTiming timing = new PrefetchTiming(Duration.ofMillis(100));

	@Test
	void withoutAnEstimateTheNextBatchIsFetchedAtOnce() {
		assertThat(this.timing.delay(50)).isZero();
	}

	@Test
	void theNextBatchIsDueALeadBeforeTheBatchInHandIsExpectedToEnd() {
		this.timing.processed(10, Duration.ofMillis(40).toNanos());

		// 50 events at 4 ms: 200 ms, less the 100 ms lead.
		assertThat(this.timing.delay(50)).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void aBatchExpectedToTakeLessThanTheLeadHasItsSuccessorFetchedAtOnce() {
		this.timing.processed(10, Duration.ofMillis(40).toNanos());

		assertThat(this.timing.delay(25)).isZero();
		assertThat(this.timing.delay(0)).isZero();
	}

	@Test
	void theEstimateGivesTheLatestBatchHalfTheWeight() {
		this.timing.processed(10, Duration.ofMillis(40).toNanos());
		this.timing.processed(10, Duration.ofMillis(80).toNanos());

		// (4 ms + 8 ms) / 2 = 6 ms per event: 300 ms for 50, less the lead.
		assertThat(this.timing.delay(50)).isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void batchesWithNothingProcessedLeaveTheEstimateAlone() {
		this.timing.processed(10, Duration.ofMillis(40).toNanos());
		this.timing.processed(0, Duration.ofSeconds(5).toNanos());
		this.timing.processed(10, -1);

		assertThat(this.timing.delay(50)).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void aHugeEstimateDoesNotOverflow() {
		this.timing.processed(1, Long.MAX_VALUE);

		assertThat(this.timing.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
	}

	@Test
	void aZeroLeadWaitsForTheWholeExpectedTime() {
		PrefetchTiming noLead = new PrefetchTiming(Duration.ZERO);
		noLead.processed(10, Duration.ofMillis(40).toNanos());

		assertThat(noLead.delay(50)).isEqualTo(Duration.ofMillis(200));
	}

}
