package io.eventgateway.orchestrator.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs one {@link SourceConsumer} per source topic, each on its own thread, so that a
 * paused or slow source never holds up another.
 */
public class SourceConsumers implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SourceConsumers.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final List<String> topics;

	private final Function<String, SourceConsumer> factory;

	private final List<SourceConsumer> consumers = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	/**
	 * @param topics the topics to consume, one consumer each
	 * @param factory creates the consumer of a topic
	 */
	public SourceConsumers(List<String> topics, Function<String, SourceConsumer> factory) {
		this.topics = topics;
		this.factory = factory;
	}

	@Override
	public synchronized void start() {
		for (String topic : this.topics) {
			SourceConsumer consumer = this.factory.apply(topic);
			Thread thread = new Thread(consumer, "source-" + topic);
			this.consumers.add(consumer);
			this.threads.add(thread);
			thread.start();
		}
	}

	@Override
	public synchronized void stop() {
		this.consumers.forEach(SourceConsumer::stop);
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
		this.consumers.clear();
		this.threads.clear();
	}

	@Override
	public synchronized boolean isRunning() {
		return !this.threads.isEmpty();
	}

	@Override
	public int getPhase() {
		// Stop reading sources before the gRPC server and the response listener stop, so
		// that the
		// final commit still sees every answer that arrived.
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
