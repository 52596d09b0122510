package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;

/**
 * Replays the spool into the primary cluster at a fixed interval, so that events spooled
 * while Kafka was unreachable reach their topics once it is back, without an operator. A
 * replay that fails stops at the first event Kafka refuses and is tried again at the next
 * interval.
 */
public class SpoolReplayTask extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(SpoolReplayTask.class);

	private final SpoolReplayer replayer;

	private final Duration interval;

	/**
	 * @param replayer what replays the spool
	 * @param interval the time between replays; zero disables them
	 * @param monitor where the replays are reported
	 */
	public SpoolReplayTask(SpoolReplayer replayer, Duration interval, LoopMonitor monitor) {
		super("spool-replay", () -> interval, monitor);
		this.replayer = replayer;
		this.interval = interval;
	}

	@Override
	protected void runOnce() throws IOException, InterruptedException {
		// One interval at most: its loop counts as stalled only after two.
		this.replayer.replayFor(this.interval);
	}

	@Override
	protected void failed(Throwable ex) {
		logger.warn("Spool replay stopped; the rest stays spooled until the next one in " + this.interval);
	}

}
