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
 * takes effect at the next one. A run that throws anything is logged, counted and
 * reported to {@link #failed} through the task's {@link LoopHeartbeat}, and never ends
 * the schedule; a task none of whose runs returned (normally or by throwing) for two
 * intervals plus a minute counts as stalled.
 */
public abstract class PeriodicTask implements SmartLifecycle {

	private static final Duration STALL_MARGIN = Duration.ofMinutes(1);

	private final String threadName;

	private final Supplier<Duration> interval;

	private final LoopHeartbeat heartbeat;

	private ScheduledExecutorService executor;

	/**
	 * @param threadName the name of the task's thread, seen in thread dumps and health
	 * @param interval the time until the next run, read before each; zero or negative
	 * stops scheduling
	 * @param monitor where the task reports its runs
	 */
	protected PeriodicTask(String threadName, Supplier<Duration> interval, LoopMonitor monitor) {
		this.threadName = threadName;
		this.interval = interval;
		this.heartbeat = monitor.register(threadName, this::stallAfter);
	}

	/** One run. */
	protected abstract void runOnce() throws Exception;

	/**
	 * Told about a run that threw, after it was logged and counted; the next run is
	 * scheduled anyway. Does nothing by default.
	 */
	protected void failed(Throwable ex) {
	}

	@Override
	public synchronized void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, this.threadName);
			thread.setDaemon(true);
			return thread;
		});
		this.heartbeat.started();
		schedule();
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.heartbeat.stopRequested();
			this.executor.shutdownNow();
			this.executor = null;
			this.heartbeat.ended(null);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private Duration stallAfter() {
		Duration interval = this.interval.get();
		if (interval.isNegative() || interval.isZero()) {
			// Switched off: never scheduled, so never stalled.
			return Duration.ofDays(365_000);
		}
		return interval.multipliedBy(2).plus(STALL_MARGIN);
	}

	private synchronized void schedule() {
		Duration interval = this.interval.get();
		if (this.executor != null && !interval.isNegative() && !interval.isZero()) {
			this.executor.schedule(this::tick, interval.toMillis(), TimeUnit.MILLISECONDS);
		}
		else if (this.executor != null) {
			// Nothing to do until started again; not a stall.
			this.heartbeat.progressed();
		}
	}

	private void tick() {
		try {
			runOnce();
			this.heartbeat.progressed();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		catch (Throwable ex) {
			this.heartbeat.failed(ex);
			// A run that returned, even by throwing, shows the schedule is alive; a
			// replay
			// failing through a broker outage must not restart the pod.
			this.heartbeat.alive();
			failed(ex);
		}
		schedule();
	}

}
