package io.eventgateway.common.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PeriodicTaskTests {

	private final LoopMonitor monitor = LoopMonitor.standalone(Clock.systemUTC());

	@Test
	void aRunThatThrowsIsReportedCountedAndTheScheduleGoesOn() {
		CountingTask task = new CountingTask(Duration.ofMillis(10), 2, this.monitor,
				() -> new IllegalStateException("run 2"));
		task.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> task.runs.get() >= 5);
			assertThat(task.failures).hasSize(1).first().extracting(Throwable::getMessage).isEqualTo("run 2");
			LoopHeartbeat heartbeat = this.monitor.loops().get(0);
			assertThat(heartbeat.failures()).isEqualTo(1);
			assertThat(heartbeat.lastError()).isEqualTo("IllegalStateException");
			assertThat(heartbeat.state()).isEqualTo(LoopState.RUNNING);
		}
		finally {
			task.stop();
		}
		assertThat(task.isRunning()).isFalse();
		assertThat(this.monitor.loops().get(0).state()).isEqualTo(LoopState.STOPPED);
	}

	@Test
	void aRunThatThrowsAnErrorDoesNotEndTheSchedule() {
		CountingTask task = new CountingTask(Duration.ofMillis(10), 1, this.monitor,
				() -> new StackOverflowError("deep"));
		task.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> task.runs.get() >= 3);
			assertThat(task.failures).hasSize(1).first().isInstanceOf(StackOverflowError.class);
		}
		finally {
			task.stop();
		}
	}

	@Test
	void aZeroIntervalNeverRuns() {
		CountingTask task = new CountingTask(Duration.ZERO, -1, this.monitor, IllegalStateException::new);
		task.start();
		try {
			assertThat(task.isRunning()).isTrue();
			assertThat(task.runs.get()).isZero();
			assertThat(this.monitor.unhealthy()).isEmpty();
		}
		finally {
			task.stop();
		}
	}

	private static final class CountingTask extends PeriodicTask {

		private final AtomicInteger runs = new AtomicInteger();

		private final List<Throwable> failures = new CopyOnWriteArrayList<>();

		private final int failingRun;

		private final Supplier<Throwable> failure;

		CountingTask(Duration interval, int failingRun, LoopMonitor monitor, Supplier<Throwable> failure) {
			super("counting-task", () -> interval, monitor);
			this.failingRun = failingRun;
			this.failure = failure;
		}

		@Override
		protected void runOnce() throws Exception {
			int run = this.runs.incrementAndGet();
			if (run == this.failingRun) {
				Throwable thrown = this.failure.get();
				if (thrown instanceof Error error) {
					throw error;
				}
				throw (Exception) thrown;
			}
		}

		@Override
		protected void failed(Throwable ex) {
			this.failures.add(ex);
		}

	}

}
