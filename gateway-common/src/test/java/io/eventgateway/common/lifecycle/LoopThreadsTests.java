package io.eventgateway.common.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.health.LoopsHealthIndicator;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LoopThreadsTests {

	private final LoopMonitor monitor = LoopMonitor.standalone(Clock.systemUTC());

	private final LoopsHealthIndicator health = new LoopsHealthIndicator(this.monitor);

	@Test
	void aLoopThatThrowsOutOfRunIsDeadAndTurnsHealthDownNamingIt() {
		LoopThreads threads = new LoopThreads(List.of("doomed", "fine"), (heartbeat) -> new StoppableLoop() {
			@Override
			public void run() {
				if (heartbeat.name().equals("doomed")) {
					throw new OutOfMemoryError("simulated");
				}
				heartbeat.progressed();
			}

			@Override
			public void stop() {
			}
		}, this.monitor, () -> Duration.ofMinutes(1), 0);
		threads.start();
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.monitor.loops().stream().allMatch((loop) -> loop.state() == LoopState.DEAD));
			// "fine" returned without a stop request: dead as well, the loop must not
			// end.
			assertThat(this.health.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(this.health.health().getDetails()).extractingByKey("unhealthy")
				.isEqualTo(List.of("doomed", "fine"));
			assertThat(this.monitor.loops().get(0).lastError()).isEqualTo("OutOfMemoryError");
			assertThat(threads.isRunning()).isTrue();
		}
		finally {
			threads.stop();
		}
	}

	@Test
	void aLoopEndedByStopIsStoppedAndHealthy() throws InterruptedException {
		CountDownLatch running = new CountDownLatch(1);
		LoopThreads threads = new LoopThreads(List.of("polite"), (heartbeat) -> new BlockingLoop(running, heartbeat),
				this.monitor, () -> Duration.ofMinutes(1), 0);
		threads.start();
		running.await();
		assertThat(this.health.health().getStatus()).isEqualTo(Status.UP);
		threads.stop();
		assertThat(this.monitor.loops().get(0).state()).isEqualTo(LoopState.STOPPED);
		assertThat(this.health.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aLoopWithoutProgressPastItsStallLimitIsStalled() {
		MutableClock clock = new MutableClock();
		LoopMonitor monitor = LoopMonitor.standalone(clock);
		LoopHeartbeat heartbeat = monitor.register("slow", () -> Duration.ofSeconds(30));
		heartbeat.started();
		clock.advance(Duration.ofSeconds(20));
		assertThat(heartbeat.state()).isEqualTo(LoopState.RUNNING);
		heartbeat.failed(new IllegalStateException("broker gone"));
		assertThat(heartbeat.state()).isEqualTo(LoopState.FAILING);
		clock.advance(Duration.ofSeconds(11));
		assertThat(heartbeat.state()).isEqualTo(LoopState.STALLED);
		assertThat(new LoopsHealthIndicator(monitor).health().getStatus()).isEqualTo(Status.DOWN);
		heartbeat.progressed();
		assertThat(heartbeat.state()).isEqualTo(LoopState.RUNNING);
	}

	@Test
	void backOffDoublesUpToFiveSecondsAndResetsOnProgress() {
		LoopHeartbeat heartbeat = this.monitor.register("flaky", () -> Duration.ofMinutes(1));
		RuntimeException failure = new RuntimeException("boom");
		assertThat(heartbeat.failed(failure)).isEqualTo(Duration.ofMillis(100));
		assertThat(heartbeat.failed(failure)).isEqualTo(Duration.ofMillis(200));
		for (int i = 0; i < 10; i++) {
			heartbeat.failed(failure);
		}
		assertThat(heartbeat.failed(failure)).isEqualTo(Duration.ofSeconds(5));
		heartbeat.progressed();
		assertThat(heartbeat.failed(failure)).isEqualTo(Duration.ofMillis(100));
		assertThat(heartbeat.failures()).isEqualTo(14);
	}

	@Test
	void aWatchedLoopIsStalledOnlyWhileReportedUnresponsive() {
		MutableClock clock = new MutableClock();
		LoopMonitor monitor = LoopMonitor.standalone(clock);
		LoopHeartbeat heartbeat = monitor.registerWatched("listener-x", () -> Duration.ofMinutes(1));
		heartbeat.started();
		clock.advance(Duration.ofHours(1));
		assertThat(heartbeat.state()).isEqualTo(LoopState.RUNNING);
		heartbeat.unresponsive();
		assertThat(heartbeat.state()).isEqualTo(LoopState.STALLED);
		clock.advance(Duration.ofMinutes(2));
		assertThat(heartbeat.state()).isEqualTo(LoopState.RUNNING);
		heartbeat.ended(null);
		assertThat(heartbeat.state()).isEqualTo(LoopState.DEAD);
	}

	private static final class BlockingLoop implements StoppableLoop {

		private final CountDownLatch running;

		private final LoopHeartbeat heartbeat;

		private final CountDownLatch stopped = new CountDownLatch(1);

		BlockingLoop(CountDownLatch running, LoopHeartbeat heartbeat) {
			this.running = running;
			this.heartbeat = heartbeat;
		}

		@Override
		public void run() {
			this.heartbeat.progressed();
			this.running.countDown();
			try {
				this.stopped.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void stop() {
			this.stopped.countDown();
		}

	}

	private static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
