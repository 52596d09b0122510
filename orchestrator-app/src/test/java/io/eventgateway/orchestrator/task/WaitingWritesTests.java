package io.eventgateway.orchestrator.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WaitingWritesTests {

	private static final TopicPartition OWNED = new TopicPartition("events.p10", 0);

	private static final TopicPartition GONE = new TopicPartition("events.p10", 1);

	private final List<Entry> dropped = new ArrayList<>();

	private final List<Entry> written = new ArrayList<>();

	private final WaitingWrites<Entry> waiting = new WaitingWrites<>(Entry::partition, this.dropped::add);

	@Test
	void anEntryIsCountedFromItsFirstFailureUntilItSucceeds() {
		Entry entry = new Entry(OWNED, 0);
		this.waiting.failed(entry, true);

		this.waiting.retry(0, System.nanoTime() + 1_000_000_000L, Set.of(OWNED)::contains, this.written::add);
		// Being tried again: still counted, and failing again is not a second first.
		assertThat(this.waiting.count()).isEqualTo(1);
		this.waiting.failed(entry, false);
		assertThat(this.waiting.count()).isEqualTo(1);
		this.waiting.retry(0, System.nanoTime() + 1_000_000_000L, Set.of(OWNED)::contains, this.written::add);
		this.waiting.succeeded(true);

		assertThat(this.written).containsExactly(entry, entry);
		assertThat(this.waiting.count()).isZero();
	}

	@Test
	void aPassDropsWithoutWritingThoseOfPartitionsNoLongerOwned() {
		Entry owned = new Entry(OWNED, 0);
		Entry gone = new Entry(GONE, 0);
		this.waiting.failed(owned, true);
		this.waiting.failed(gone, true);

		int tried = this.waiting.retry(0, System.nanoTime() + 1_000_000_000L, Set.of(OWNED)::contains,
				this.written::add);

		assertThat(tried).isOne();
		assertThat(this.written).containsExactly(owned);
		assertThat(this.dropped).containsExactly(gone);
		assertThat(this.waiting.count()).isOne();
	}

	@Test
	void aPassPastItsDeadlineTriesOneOnlyIfNothingWasTriedBeforeInThePass() {
		for (int offset = 0; offset < 3; offset++) {
			this.waiting.failed(new Entry(OWNED, offset), true);
		}
		long past = System.nanoTime() - 1;

		assertThat(this.waiting.retry(2, past, Set.of(OWNED)::contains, this.written::add)).isEqualTo(2);
		assertThat(this.written).isEmpty();
		assertThat(this.waiting.retry(0, past, Set.of(OWNED)::contains, this.written::add)).isOne();
		assertThat(this.written).containsExactly(new Entry(OWNED, 0));
		assertThat(this.waiting.count()).isEqualTo(3);
	}

	@Test
	void aRevokeDropsAndUncountsOnlyThoseOfTheRevokedPartitions() {
		this.waiting.failed(new Entry(OWNED, 0), true);
		this.waiting.failed(new Entry(GONE, 0), true);
		this.waiting.failed(new Entry(GONE, 1), true);

		this.waiting.revoked(Set.of(GONE));

		assertThat(this.dropped).containsExactly(new Entry(GONE, 0), new Entry(GONE, 1));
		assertThat(this.waiting.count()).isOne();
		this.waiting.retry(0, System.nanoTime() + 1_000_000_000L, (partition) -> true, this.written::add);
		assertThat(this.written).containsExactly(new Entry(OWNED, 0));
	}

	private record Entry(TopicPartition partition, long offset) {
	}

}
