package io.eventgateway.publisher.produce;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerRunsWhenFullTests {

	@Test
	void aCompletionTheFullQueueCannotTakeRunsOnTheCallerAndIsCounted() throws Exception {
		CallerRunsWhenFull overflow = new CallerRunsWhenFull();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(1), overflow);
		CountDownLatch release = new CountDownLatch(1);
		try {
			executor.execute(() -> await(release));
			executor.execute(() -> {
			});
			AtomicReference<Thread> ranOn = new AtomicReference<>();

			executor.execute(() -> ranOn.set(Thread.currentThread()));

			assertThat(ranOn.get()).isSameAs(Thread.currentThread());
			assertThat(overflow.callerRunsCount()).isEqualTo(1);
			assertThat(executor.getQueue()).hasSize(1);
		}
		finally {
			release.countDown();
			executor.shutdown();
		}
	}

	@Test
	void aCompletionHandedOverAfterStopStillRuns() {
		CallerRunsWhenFull overflow = new CallerRunsWhenFull();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(1), overflow);
		executor.shutdown();
		AtomicReference<Thread> ranOn = new AtomicReference<>();

		executor.execute(() -> ranOn.set(Thread.currentThread()));

		assertThat(ranOn.get()).isSameAs(Thread.currentThread());
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
