package io.eventgateway.worker.fetch;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.worker.stats.WorkerStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link PrefetchReleases}: releases run on a thread of their own, the queue is bounded,
 * and what it cannot take is counted, never thrown at the caller.
 */
class PrefetchReleasesTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final WorkerStats stats = new WorkerStats(this.registry);

	private final PrefetchReleases releases = new PrefetchReleases(this.stats, 1);

	private final CountDownLatch unblock = new CountDownLatch(1);

	@AfterEach
	void close() {
		this.unblock.countDown();
		this.releases.close();
	}

	@Test
	void aReleaseRunsOnAThreadOfItsOwn() {
		List<String> threads = new CopyOnWriteArrayList<>();

		assertThat(this.releases.submit("lease-1", () -> threads.add(Thread.currentThread().getName()))).isTrue();

		await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty());
		assertThat(threads).containsExactly("prefetch-release");
	}

	@Test
	void aReleaseThatFindsTheQueueFullIsCountedAndNotRunWhileTheCallerGoesOn() throws Exception {
		CountDownLatch sending = new CountDownLatch(1);
		List<String> sent = new CopyOnWriteArrayList<>();
		// The first release is stuck in the producer, the second waits behind it.
		this.releases.submit("lease-1", () -> {
			sending.countDown();
			awaitUnblock();
			sent.add("lease-1");
		});
		assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.releases.submit("lease-2", () -> sent.add("lease-2"))).isTrue();

		assertThat(this.releases.submit("lease-3", () -> sent.add("lease-3"))).isFalse();
		assertThat(this.registry.counter("gateway.worker.answers.failed", "stage", "release-queue-full").count())
			.isEqualTo(1);
		assertThat(this.stats.unsentAnswers()).isEqualTo(1);

		this.unblock.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
		assertThat(sent).containsExactly("lease-1", "lease-2");
		assertThat(this.releases.queued()).isZero();
	}

	@Test
	void aReleaseThatThrowsDoesNotStopTheOnesAfterIt() {
		List<String> sent = new CopyOnWriteArrayList<>();
		this.releases.submit("lease-1", () -> {
			throw new IllegalStateException("producer closed");
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> this.releases.submit("lease-2", () -> sent.add("lease-2")));

		await().atMost(Duration.ofSeconds(5)).until(() -> sent.contains("lease-2"));
	}

	@Test
	void aReleaseAfterTheCloseIsNotRunAndNotCountedAsLost() {
		this.releases.close();

		assertThat(this.releases.submit("lease-1", () -> {
		})).isFalse();
		assertThat(this.stats.unsentAnswers()).isZero();
	}

	@Test
	void aQueueWithoutRoomIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PrefetchReleases(this.stats, 0))
			.withMessageContaining("at least one");
	}

	private void awaitUnblock() {
		try {
			this.unblock.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
