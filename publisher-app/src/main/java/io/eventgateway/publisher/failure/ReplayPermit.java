package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.time.Duration;

/**
 * Whether this instance may replay its spool now. A spool only this instance sees may
 * always be replayed ({@link #exclusive()}); a spool several instances share is replayed
 * only by the one that holds the {@link KafkaReplayLock}.
 *
 * <p>
 * Thread-safe.
 */
public interface ReplayPermit {

	/** Whether this instance may replay now. */
	boolean isHeld();

	/**
	 * Runs one replay step (one entry: write, wait for the acknowledgement, delete) if
	 * the permit is held, and keeps the permit from passing to another instance until the
	 * step ended, so that two instances never work on the same entry.
	 * @param step the step
	 * @return false, without running the step, when the permit is not held
	 */
	boolean runWhileHeld(ReplayStep step) throws IOException, InterruptedException;

	/**
	 * Waits until the permit is held.
	 * @param timeout the longest to wait
	 * @return whether it is held
	 */
	boolean awaitHeld(Duration timeout) throws InterruptedException;

	/** The permit of a spool no other instance sees: always held. */
	static ReplayPermit exclusive() {
		return ExclusivePermit.INSTANCE;
	}

	/** One replay step. */
	@FunctionalInterface
	interface ReplayStep {

		void run() throws IOException, InterruptedException;

	}

	/** Always held. */
	enum ExclusivePermit implements ReplayPermit {

		/** The only instance: stateless. */
		INSTANCE;

		@Override
		public boolean isHeld() {
			return true;
		}

		@Override
		public boolean runWhileHeld(ReplayStep step) throws IOException, InterruptedException {
			step.run();
			return true;
		}

		@Override
		public boolean awaitHeld(Duration timeout) {
			return true;
		}

	}

}
