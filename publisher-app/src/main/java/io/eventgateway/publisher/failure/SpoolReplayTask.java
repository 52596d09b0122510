package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Replays the spool into the primary cluster at a fixed interval, so that events spooled
 * while Kafka was unreachable reach their topics once it is back, without an operator. A
 * replay that fails stops at the first event Kafka refuses and is tried again at the next
 * interval.
 */
public class SpoolReplayTask implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SpoolReplayTask.class);

	private final SpoolReplayer replayer;

	private final Duration interval;

	private ScheduledExecutorService scheduler;

	/**
	 * @param replayer what replays the spool
	 * @param interval the time between replays; zero disables them
	 */
	public SpoolReplayTask(SpoolReplayer replayer, Duration interval) {
		this.replayer = replayer;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.interval.isZero()) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "spool-replay");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::replay, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void replay() {
		try {
			this.replayer.replayAll();
		}
		catch (IOException ex) {
			logger.warn("Spool replay stopped; the rest stays spooled until the next one in " + this.interval + ": "
					+ ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			// Keep the schedule alive: a failure here must not end every later replay.
			logger.error("Spool replay failed", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

}
