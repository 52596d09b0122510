package io.eventgateway.orchestrator.lease;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.orchestrator.task.TaskStateController;

import org.springframework.context.SmartLifecycle;

/** Expires due leases at a fixed interval, on its own thread. */
public class LeaseSweeper implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LeaseSweeper.class);

	private final TaskStateController controller;

	private final Duration interval;

	private ScheduledExecutorService executor;

	public LeaseSweeper(TaskStateController controller, Duration interval) {
		this.controller = controller;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		this.executor = Executors.newSingleThreadScheduledExecutor((runnable) -> new Thread(runnable, "lease-sweeper"));
		this.executor.scheduleWithFixedDelay(this::sweep, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
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

	private void sweep() {
		try {
			int returned = this.controller.expireLeases();
			if (returned > 0) {
				logger.info("Returned " + returned + " tasks of expired leases to the buffer");
			}
		}
		catch (RuntimeException ex) {
			// A failed sweep must not cancel the schedule.
			logger.error("Lease sweep failed", ex);
		}
	}

}
