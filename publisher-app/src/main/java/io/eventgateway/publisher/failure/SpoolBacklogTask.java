package io.eventgateway.publisher.failure;

import java.time.Duration;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;

/**
 * Lists the spool for its backlog gauges where no replay pass does, that is while replays
 * are switched off: events then wait for an operator's {@code republish}, and the backlog
 * is the one signal that they are there.
 */
public class SpoolBacklogTask extends PeriodicTask {

	private final SpoolBacklog backlog;

	/**
	 * @param backlog what the listing feeds
	 * @param interval the time between listings; zero when replay passes list the spool
	 * @param monitor where the listings are reported
	 */
	public SpoolBacklogTask(SpoolBacklog backlog, Duration interval, LoopMonitor monitor) {
		super("spool-backlog", () -> interval, monitor);
		this.backlog = backlog;
	}

	@Override
	protected void runOnce() throws Exception {
		this.backlog.list();
	}

	@Override
	protected void failed(Throwable ex) {
		this.backlog.unknown();
	}

}
