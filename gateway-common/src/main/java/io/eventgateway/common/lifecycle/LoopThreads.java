package io.eventgateway.common.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs a fixed set of {@link StoppableLoop}s, each on its own named thread, for as long
 * as the application context runs: the consumer loops of the orchestrator, the fetch
 * loops of the worker. Each loop reports through a {@link LoopHeartbeat} of the
 * {@link LoopMonitor}; a thread that ends without a stop request (whatever ended it) is
 * reported dead there, which turns liveness DOWN. Stopping asks every loop to stop, then
 * waits for each thread a bounded time.
 *
 * <p>
 * {@link #isRunning()} stays true while the threads are owned, dead or not, so that the
 * context still stops the survivors; death is the health contributor's business.
 */
public class LoopThreads implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LoopThreads.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final List<String> names;

	private final Function<LoopHeartbeat, StoppableLoop> factory;

	private final LoopMonitor monitor;

	private final Supplier<Duration> stallAfter;

	private final int phase;

	private final List<StoppableLoop> loops = new ArrayList<>();

	private final List<LoopHeartbeat> heartbeats = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	/**
	 * @param names one thread name per loop
	 * @param factory creates the loop of a heartbeat (whose name is the thread name)
	 * @param monitor where each loop registers
	 * @param stallAfter the longest a healthy loop of this set goes without progress
	 * @param phase the lifecycle phase; lower phases start earlier and stop later
	 */
	public LoopThreads(List<String> names, Function<LoopHeartbeat, StoppableLoop> factory, LoopMonitor monitor,
			Supplier<Duration> stallAfter, int phase) {
		this.names = List.copyOf(names);
		this.factory = factory;
		this.monitor = monitor;
		this.stallAfter = stallAfter;
		this.phase = phase;
	}

	@Override
	public synchronized void start() {
		for (String name : this.names) {
			LoopHeartbeat heartbeat = this.monitor.register(name, this.stallAfter);
			StoppableLoop loop = this.factory.apply(heartbeat);
			Thread thread = new Thread(() -> runMonitored(loop, heartbeat), name);
			this.loops.add(loop);
			this.heartbeats.add(heartbeat);
			this.threads.add(thread);
			heartbeat.started();
			thread.start();
		}
	}

	@Override
	public synchronized void stop() {
		this.heartbeats.forEach(LoopHeartbeat::stopRequested);
		this.loops.forEach(StoppableLoop::stop);
		for (Thread thread : this.threads) {
			try {
				thread.join(STOP_TIMEOUT.toMillis());
				if (thread.isAlive()) {
					logger.warn(thread.getName() + " did not stop within " + STOP_TIMEOUT);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.loops.clear();
		this.heartbeats.clear();
		this.threads.clear();
	}

	@Override
	public synchronized boolean isRunning() {
		return !this.threads.isEmpty();
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	private static void runMonitored(StoppableLoop loop, LoopHeartbeat heartbeat) {
		Throwable cause = null;
		try {
			loop.run();
		}
		catch (Throwable ex) {
			cause = ex;
		}
		finally {
			heartbeat.ended(cause);
		}
	}

}
