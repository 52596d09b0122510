package io.eventgateway.worker.fetch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.context.SmartLifecycle;

/** Runs the configured number of {@link FetchLoop}s, each on its own thread. */
public class FetchLoops implements SmartLifecycle {

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final int concurrency;

	private final Supplier<FetchLoop> factory;

	private final List<FetchLoop> loops = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	public FetchLoops(int concurrency, Supplier<FetchLoop> factory) {
		this.concurrency = concurrency;
		this.factory = factory;
	}

	@Override
	public synchronized void start() {
		for (int i = 0; i < this.concurrency; i++) {
			FetchLoop loop = this.factory.get();
			Thread thread = new Thread(loop, "fetch-loop-" + i);
			this.loops.add(loop);
			this.threads.add(thread);
			thread.start();
		}
	}

	@Override
	public synchronized void stop() {
		this.loops.forEach(FetchLoop::stop);
		for (Thread thread : this.threads) {
			try {
				thread.join(STOP_TIMEOUT.toMillis());
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

}
