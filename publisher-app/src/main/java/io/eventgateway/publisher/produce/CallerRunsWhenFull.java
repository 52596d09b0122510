package io.eventgateway.publisher.produce;

import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the completion executor does with a completion its full queue cannot take: runs it
 * on the thread that handed it over, a producer's network thread, which sends nothing
 * meanwhile. A producer frees its buffer memory on acknowledgement, before the completion
 * runs: this is what keeps completions under the producers' backpressure rather than in
 * an ever-growing queue. Unlike {@link ThreadPoolExecutor.CallerRunsPolicy} it also runs
 * completions once the executor stopped, since producers flush at stop and every send
 * must still be answered.
 *
 * <p>
 * Thread-safe.
 */
public final class CallerRunsWhenFull implements RejectedExecutionHandler {

	private final AtomicLong callerRuns = new AtomicLong();

	@Override
	public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
		this.callerRuns.incrementAndGet();
		task.run();
	}

	/** Completions run on the thread that handed them over since start. */
	public long callerRunsCount() {
		return this.callerRuns.get();
	}

}
