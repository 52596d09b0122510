package io.eventgateway.ingest.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HandOffSchedulerTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

	private final HandOffScheduler scheduler = new HandOffScheduler(Duration.ofSeconds(30), 3, this.timer,
			Clock.systemUTC());

	@AfterEach
	void stopTimer() {
		this.timer.shutdownNow();
	}

	@Test
	void noDelayMeansNow() {
		assertThat(this.scheduler.dueAt(NOW, Duration.ZERO, null)).isEqualTo(NOW);
	}

	@Test
	void theRuleDelayCounts() {
		assertThat(this.scheduler.dueAt(NOW, Duration.ofSeconds(5), null)).isEqualTo(NOW.plusSeconds(5));
	}

	@Test
	void theLaterOfRuleDelayAndNotBeforeWins() {
		assertThat(this.scheduler.dueAt(NOW, Duration.ofSeconds(5), NOW.plusSeconds(10)))
			.isEqualTo(NOW.plusSeconds(10));
		assertThat(this.scheduler.dueAt(NOW, Duration.ofSeconds(5), NOW.plusSeconds(1))).isEqualTo(NOW.plusSeconds(5));
	}

	@Test
	void aNotBeforeInThePastMeansNow() {
		assertThat(this.scheduler.dueAt(NOW, Duration.ZERO, NOW.minusSeconds(60))).isEqualTo(NOW);
	}

	@Test
	void delaysAreCappedAtTheMaximum() {
		assertThat(this.scheduler.dueAt(NOW, Duration.ZERO, NOW.plus(Duration.ofDays(1))))
			.isEqualTo(NOW.plusSeconds(30));
		assertThat(this.scheduler.dueAt(NOW, Duration.ofHours(1), null)).isEqualTo(NOW.plusSeconds(30));
	}

	@Test
	void dueHandOffsRunOnTheCallingThread() {
		Thread caller = Thread.currentThread();
		CompletableFuture<Thread> ran = this.scheduler.handOffAt(Instant.now().minusSeconds(1), 1,
				Thread::currentThread);
		assertThat(ran).isCompletedWithValue(caller);
	}

	@Test
	void delayedHandOffsRunOnTheTimerWhenDue() throws Exception {
		Instant due = Instant.now().plusMillis(200);
		CompletableFuture<Instant> ran = this.scheduler.handOffAt(due, 2, Instant::now);
		assertThat(ran).isNotDone();
		assertThat(this.scheduler.pending()).isEqualTo(2);
		assertThat(ran.get(5, TimeUnit.SECONDS)).isAfterOrEqualTo(due.minusMillis(5));
		assertThat(this.scheduler.pending()).isZero();
	}

	@Test
	void handOffsOverThePendingLimitAreRefused() {
		Instant later = Instant.now().plusSeconds(20);
		this.scheduler.handOffAt(later, 3, () -> "held");
		CompletableFuture<String> refused = this.scheduler.handOffAt(later, 1, () -> "refused");
		assertThat(refused).isCompletedExceptionally();
		assertThatExceptionOfType(Exception.class).isThrownBy(refused::join)
			.withCauseInstanceOf(SchedulerFullException.class)
			.withMessageContaining("limit of 3 delayed events");
		assertThat(this.scheduler.pending()).isEqualTo(3);
	}

	@Test
	void aFailingHandOffFailsItsResult() {
		CompletableFuture<String> failed = this.scheduler.handOffAt(Instant.now(), 1, () -> {
			throw new IllegalStateException("publisher gone");
		});
		assertThat(failed).isCompletedExceptionally();
	}

}
