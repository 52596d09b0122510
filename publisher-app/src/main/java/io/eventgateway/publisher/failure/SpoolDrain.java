package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Replays what it can of the spool while the instance stops, so that a scale-down does
 * not leave events behind for an instance that may never come back. Runs after the gRPC
 * server stopped taking requests (which stops in an earlier, higher phase), and before
 * the replay lock is given up, for at most {@code drain-on-stop}; logs how many entries
 * remain. An instance that does not hold the lock of a shared spool leaves it to the one
 * that does.
 *
 * <p>
 * Called by the application context's lifecycle, on the thread that closes it.
 */
public class SpoolDrain implements SmartLifecycle {

	/**
	 * Stops after the gRPC server and the periodic replay ({@code Integer.MAX_VALUE}) and
	 * the failed-writes listener container ({@code DEFAULT_PHASE}), before the replay
	 * lock.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1000;

	private static final Log logger = LogFactory.getLog(SpoolDrain.class);

	/** The wait before trying again after a refused write, inside the drain time. */
	private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

	private final SpoolReplayer replayer;

	private final Duration drainOnStop;

	private final Clock clock;

	private volatile boolean running;

	/**
	 * @param replayer what replays the spool
	 * @param drainOnStop the longest the drain may take; zero skips it
	 * @param clock the time source of the deadline
	 */
	public SpoolDrain(SpoolReplayer replayer, Duration drainOnStop, Clock clock) {
		this.replayer = replayer;
		this.drainOnStop = drainOnStop;
		this.clock = clock;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		try {
			drain();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn("Spool drain interrupted; " + describeRemaining());
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Replays until the spool is empty, the time is up, or the lock went to another
	 * instance; a refused write is tried again within the time.
	 * @return how many events were replayed
	 */
	int drain() throws InterruptedException {
		if (this.drainOnStop.isZero()) {
			logger
				.info("Spool drain at stop is off (gateway.publisher.spool.drain-on-stop=0s); " + describeRemaining());
			return 0;
		}
		if (!this.replayer.isReplayer()) {
			logger.info("Not draining the shared spool at stop: another instance holds the replay lock; "
					+ describeRemaining());
			return 0;
		}
		Instant deadline = this.clock.instant().plus(this.drainOnStop);
		int replayed = 0;
		while (this.clock.instant().isBefore(deadline) && this.replayer.isReplayer()) {
			try {
				replayed += this.replayer.replayWithin(() -> Duration.between(this.clock.instant(), deadline));
				if (this.replayer.remaining() == 0) {
					break;
				}
			}
			catch (IOException ex) {
				logger
					.warn("Spool drain: " + ex.getMessage() + (ex.getCause() != null ? " (" + ex.getCause() + ")" : "")
							+ "; trying again until the drain time is up");
				Thread.sleep(RETRY_PAUSE.toMillis());
			}
		}
		logger.info("Spool drain at stop replayed " + replayed + " events; " + describeRemaining());
		return replayed;
	}

	private String describeRemaining() {
		try {
			int remaining = this.replayer.remaining();
			return (remaining == 0) ? "the spool is empty"
					: remaining + " entries remain in the spool, for the next replay";
		}
		catch (IOException ex) {
			return "the entries left in the spool could not be counted (" + ex.getMessage() + ")";
		}
	}

}
