package io.eventgateway.orchestrator.task;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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

	@Test
	void aRevokeRacingARetryPassLeavesEachEntryToExactlyOneOfThem() throws Exception {
		int entries = 20_000;
		Entry first = new Entry(GONE, 0);
		// The revoke looks at the first entry, then the pass takes it before the revoke
		// removes it: the one interleaving forced, the rest left to race.
		CountDownLatch revokeAtFirst = new CountDownLatch(1);
		CountDownLatch passTookFirst = new CountDownLatch(1);
		AtomicInteger firstLookups = new AtomicInteger();
		Function<Entry, TopicPartition> partition = (entry) -> {
			if (entry.equals(first)) {
				if (firstLookups.incrementAndGet() == 1) {
					revokeAtFirst.countDown();
					awaitQuietly(passTookFirst);
				}
				else {
					passTookFirst.countDown();
				}
			}
			return entry.partition();
		};
		Queue<Entry> droppedConcurrently = new ConcurrentLinkedQueue<>();
		Queue<Entry> writtenConcurrently = new ConcurrentLinkedQueue<>();
		WaitingWrites<Entry> racing = new WaitingWrites<>(partition, droppedConcurrently::add);
		for (int offset = 0; offset < entries; offset++) {
			racing.failed(new Entry(GONE, offset), true);
		}
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			Future<?> revoke = threads.submit(() -> racing.revoked(Set.of(GONE)));
			assertThat(revokeAtFirst.await(60, TimeUnit.SECONDS)).isTrue();
			// The pass still sees the partition as owned: the revoke is under way.
			Future<?> pass = threads.submit(() -> racing.retry(0, System.nanoTime() + 60_000_000_000L, (owned) -> true,
					writtenConcurrently::add));
			pass.get(60, TimeUnit.SECONDS);
			revoke.get(60, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}

		assertThat(writtenConcurrently).contains(first);
		assertThat(droppedConcurrently).doesNotContain(first);
		Set<Entry> handled = new HashSet<>(writtenConcurrently);
		assertThat(handled).as("written twice").hasSameSizeAs(writtenConcurrently);
		assertThat(droppedConcurrently).as("dropped and also written").noneMatch(handled::contains);
		handled.addAll(droppedConcurrently);
		assertThat(handled).hasSize(entries);
		assertThat(writtenConcurrently.size() + droppedConcurrently.size()).isEqualTo(entries);
		// Those written are counted until their send ends; those dropped are not.
		assertThat(racing.count()).isEqualTo(writtenConcurrently.size());
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			if (!latch.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the retry pass never took the first entry");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Entry(TopicPartition partition, long offset) {
	}

}
