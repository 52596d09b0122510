package io.eventgateway.orchestrator.lease;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;
import io.eventgateway.orchestrator.task.TaskStateController;

/**
 * Expires due leases, and retries the failed writes of failed tasks to their next topic
 * and of foreign records to the dead-letter topic, at a fixed interval, on its own
 * thread.
 */
public class LeaseSweeper extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(LeaseSweeper.class);

	private static final Duration WRITE_RETRY_INTERVAL = Duration.ofSeconds(1);

	/** How long one run goes on retrying failed writes before it expires leases again. */
	private static final Duration WRITE_RETRY_BUDGET = Duration.ofSeconds(1);

	private final TaskStateController controller;

	/** Written and read by the sweeper's thread only. */
	private long lastWriteRetry = System.nanoTime();

	public LeaseSweeper(TaskStateController controller, Duration interval, LoopMonitor monitor) {
		super("lease-sweeper", () -> interval, monitor);
		this.controller = controller;
	}

	@Override
	protected void runOnce() {
		int returned = this.controller.expireLeases();
		if (returned > 0) {
			logger.info("Returned " + returned + " tasks of expired leases to the buffer");
		}
		// Failed tasks and foreign records whose write failed hold their partition's
		// commit: try them again, at most once a second.
		long now = System.nanoTime();
		if (now - this.lastWriteRetry >= WRITE_RETRY_INTERVAL.toNanos()) {
			this.lastWriteRetry = now;
			this.controller.retryFailedWrites(WRITE_RETRY_BUDGET);
		}
	}

}
