package io.eventgateway.worker.fetch;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.eventgateway.worker.stats.WorkerStats;

/**
 * Sends the releases of batches fetched ahead whose prefetch hold ran out, on a thread of
 * its own: sending an answer may block (the answer producer waits up to
 * {@code max.block.ms} for metadata or buffer space), and a release sent from the lease
 * renewal thread would hold up the renewal of every other lease meanwhile.
 *
 * <p>
 * Releases wait in a bounded queue. One that finds the queue full is not queued: that is
 * logged and counted ({@code gateway.worker.answers.failed}, stage
 * {@code release-queue-full}), and its batch stays where it is, its renewals over, so
 * that either the loop gets to it (and processes it, or releases it once its lease has
 * lapsed) or its lease expires and the orchestrator serves its events again. Nothing is
 * lost.
 *
 * <p>
 * Thread-safe: one per worker, shared by its fetch loops; {@link #submit} is called from
 * the renewal thread.
 */
public class PrefetchReleases implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(PrefetchReleases.class);

	private final WorkerStats stats;

	private final ThreadPoolExecutor executor;

	/**
	 * @param stats where a release that could not be queued is counted
	 * @param capacity how many releases may wait while one is sent; the number of batches
	 * that may be fetched ahead at once (fetch loops × prefetch) is enough unless the
	 * answer producer blocks for several prefetch holds in a row
	 */
	public PrefetchReleases(WorkerStats stats, int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("The release queue must hold at least one release, was " + capacity);
		}
		this.stats = stats;
		this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
				(task) -> {
					Thread thread = new Thread(task, "prefetch-release");
					// Never keeps the JVM up: a stopping worker releases what waits on
					// its own thread.
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * Queues a release; returns at once, whatever the answer producer does.
	 * @param leaseId the lease of the batch, for the log
	 * @param release sends the release; must not throw
	 * @return whether it was queued
	 */
	public boolean submit(String leaseId, Runnable release) {
		try {
			this.executor.execute(() -> run(leaseId, release));
			return true;
		}
		catch (RejectedExecutionException ex) {
			if (this.executor.isShutdown()) {
				// The worker is stopping; the stop releases what waits ahead itself.
				return false;
			}
			this.stats.answerNotWritten("release-queue-full");
			logger.warn("The release of the batch leased under " + leaseId + " was not sent: "
					+ this.executor.getQueue().size() + " releases wait already (the answer producer is blocked);"
					+ " its lease is no longer renewed, so its events are served again when it expires");
			return false;
		}
	}

	private static void run(String leaseId, Runnable release) {
		try {
			release.run();
		}
		catch (RuntimeException ex) {
			// Not answered: its lease expires and its events are served again.
			logger.error("Could not release the batch leased under " + leaseId, ex);
		}
	}

	/** How many releases wait to be sent. */
	int queued() {
		return this.executor.getQueue().size();
	}

	/** Stops the thread; the loops have stopped, and released what waited, by now. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
