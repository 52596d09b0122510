package io.eventgateway.worker.fetch;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefetchTimingTests {

	private final PrefetchTiming timing = new PrefetchTiming(Duration.ofMillis(100));

	@Test
	void withoutAnEstimateTheNextBatchIsFetchedAtOnce() {
		assertThat(this.timing.delay(50, List.of())).isZero();
	}

	@Test
	void theNextBatchIsDueALeadBeforeTheBatchInHandIsExpectedToEnd() {
		this.timing.processed(50, Duration.ofMillis(200).toNanos());

		// 50 events at 4 ms: 200 ms, less the 100 ms lead.
		assertThat(this.timing.delay(50, List.of())).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void batchesAlreadyAheadAreWaitedForToo() {
		this.timing.processed(50, Duration.ofMillis(200).toNanos());

		// The batch in hand and two ahead, 50 events each: 600 ms, less the lead.
		assertThat(this.timing.delay(50, List.of(50, 50))).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void aBatchExpectedToTakeLessThanTheLeadHasItsSuccessorFetchedAtOnce() {
		this.timing.processed(50, Duration.ofMillis(200).toNanos());

		assertThat(this.timing.delay(25, List.of())).isZero();
		assertThat(this.timing.delay(0, List.of())).isZero();
	}

	@Test
	void theEstimateGivesTheLatestBatchHalfTheWeight() {
		this.timing.processed(50, Duration.ofMillis(200).toNanos());
		this.timing.processed(50, Duration.ofMillis(400).toNanos());

		// (4 ms + 8 ms) / 2 = 6 ms per event: 300 ms for 50, less the lead.
		assertThat(this.timing.delay(50, List.of())).isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aBatchIsNotExpectedToTakeLongerThanTheSlowestRecentOne() {
		// A cost per batch, not per event: 300 ms whatever the size.
		this.timing.processed(1, Duration.ofMillis(300).toNanos());

		// 300 ms per event would make it 30 s.
		assertThat(this.timing.delay(100, List.of())).isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void onlyTheLastBatchesCapTheEstimate() {
		this.timing.processed(1, Duration.ofSeconds(10).toNanos());
		for (int i = 0; i < PrefetchTiming.RECENT; i++) {
			this.timing.processed(100, Duration.ofMillis(300).toNanos());
		}

		// The 10 s batch is no longer among the last 8: 300 ms caps a batch.
		assertThat(this.timing.delay(100, List.of())).isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void batchesWithNothingProcessedLeaveTheEstimateAlone() {
		this.timing.processed(50, Duration.ofMillis(200).toNanos());
		this.timing.processed(0, Duration.ofSeconds(5).toNanos());
		this.timing.processed(10, -1);

		assertThat(this.timing.delay(50, List.of())).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void aHugeEstimateDoesNotOverflow() {
		this.timing.processed(1, Long.MAX_VALUE);

		assertThat(this.timing.delay(Integer.MAX_VALUE, List.of(Integer.MAX_VALUE)))
			.isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
	}

	@Test
	void aZeroLeadWaitsForTheWholeExpectedTime() {
		PrefetchTiming noLead = new PrefetchTiming(Duration.ZERO);
		noLead.processed(50, Duration.ofMillis(200).toNanos());

		assertThat(noLead.delay(50, List.of())).isEqualTo(Duration.ofMillis(200));
	}

}
