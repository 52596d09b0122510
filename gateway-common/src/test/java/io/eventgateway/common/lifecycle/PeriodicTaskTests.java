package io.eventgateway.common.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PeriodicTaskTests {

	@Test
	void aRunThatThrowsIsReportedAndTheScheduleGoesOn() {
		CountingTask task = new CountingTask(Duration.ofMillis(10), 2);
		task.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> task.runs.get() >= 5);
			assertThat(task.failures).hasSize(1).first().extracting(Exception::getMessage).isEqualTo("run 2");
		}
		finally {
			task.stop();
		}
		assertThat(task.isRunning()).isFalse();
	}

	@Test
	void aZeroIntervalNeverRuns() {
		CountingTask task = new CountingTask(Duration.ZERO, -1);
		task.start();
		try {
			assertThat(task.isRunning()).isTrue();
			assertThat(task.runs.get()).isZero();
		}
		finally {
			task.stop();
		}
	}

	private static final class CountingTask extends PeriodicTask {

		private final AtomicInteger runs = new AtomicInteger();

		private final List<Exception> failures = new CopyOnWriteArrayList<>();

		private final int failingRun;

		CountingTask(Duration interval, int failingRun) {
			super("counting-task", () -> interval);
			this.failingRun = failingRun;
		}

		@Override
		protected void runOnce() {
			int run = this.runs.incrementAndGet();
			if (run == this.failingRun) {
				throw new IllegalStateException("run " + run);
			}
		}

		@Override
		protected void failed(Exception ex) {
			this.failures.add(ex);
		}

	}

}
