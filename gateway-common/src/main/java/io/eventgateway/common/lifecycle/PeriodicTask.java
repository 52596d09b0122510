package io.eventgateway.common.lifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

/**
 * Work repeated at an interval on its own named daemon thread for as long as the
 * application context runs. The interval is read again before each run, so a hot setting
 * takes effect at the next one; a run that throws is reported to {@link #failed} and
 * never ends the schedule.
 */
public abstract class PeriodicTask implements SmartLifecycle {

	private final String threadName;

	private final Supplier<Duration> interval;

	private ScheduledExecutorService executor;

	/**
	 * @param threadName the name of the task's thread, seen in thread dumps
	 * @param interval the time until the next run, read before each; zero or negative
	 * stops scheduling
	 */
	protected PeriodicTask(String threadName, Supplier<Duration> interval) {
		this.threadName = threadName;
		this.interval = interval;
	}

	/** One run. */
	protected abstract void runOnce() throws Exception;

	/** Told about a run that threw; the next run is scheduled anyway. */
	protected abstract void failed(Exception ex);

	@Override
	public synchronized void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, this.threadName);
			thread.setDaemon(true);
			return thread;
		});
		schedule();
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private synchronized void schedule() {
		Duration interval = this.interval.get();
		if (this.executor != null && !interval.isNegative() && !interval.isZero()) {
			this.executor.schedule(this::tick, interval.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void tick() {
		try {
			runOnce();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Exception ex) {
			failed(ex);
		}
		schedule();
	}

}
