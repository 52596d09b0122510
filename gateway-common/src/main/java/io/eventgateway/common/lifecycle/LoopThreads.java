package io.eventgateway.common.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs a fixed set of {@link StoppableLoop}s, each on its own named thread, for as long
 * as the application context runs: the consumer loops of the orchestrator, the fetch
 * loops of the worker. Stopping asks every loop to stop, then waits for each thread a
 * bounded time.
 */
public class LoopThreads implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(LoopThreads.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final List<String> names;

	private final Function<String, StoppableLoop> factory;

	private final int phase;

	private final List<StoppableLoop> loops = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	/**
	 * @param names one thread name per loop
	 * @param factory creates the loop of a thread name
	 * @param phase the lifecycle phase; lower phases start earlier and stop later
	 */
	public LoopThreads(List<String> names, Function<String, StoppableLoop> factory, int phase) {
		this.names = List.copyOf(names);
		this.factory = factory;
		this.phase = phase;
	}

	@Override
	public synchronized void start() {
		for (String name : this.names) {
			StoppableLoop loop = this.factory.apply(name);
			Thread thread = new Thread(loop, name);
			this.loops.add(loop);
			this.threads.add(thread);
			thread.start();
		}
	}

	@Override
	public synchronized void stop() {
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

}
