package io.eventgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.eventgateway.bench.load.LoadGenerator;
import io.eventgateway.embedded.GatewayCluster;

/**
 * Every gateway role in this JVM on the scenario's broker, with the benchmark's worker.
 */
final class BenchGateway implements AutoCloseable {

	private final GatewayCluster cluster;

	private final BenchProcessor processor;

	private final LoadGenerator loadGenerator;

	/** How long a warm-up's events may take to be processed after its load ended. */
	static final Duration WARM_UP_DRAIN = Duration.ofMinutes(2);

	private int warmUps;

	BenchGateway(String bootstrapServers, BenchProcessor processor, String... args) {
		Map<String, String> settings = new LinkedHashMap<>();
		for (String arg : List.of("--gateway.topics.partitions=6", "--gateway.worker.concurrency=2",
				"--gateway.worker.max-tasks-per-batch=500", "--spring.cloud.bus.enabled=false",
				"--logging.level.root=WARN", "--logging.level.io.eventgateway=WARN")) {
			settings.put(arg.substring(0, arg.indexOf('=')), arg);
		}
		// A scenario's own arguments replace the defaults of the same key.
		for (String arg : args) {
			settings.put(arg.substring(0, arg.indexOf('=')), arg);
		}
		List<String> all = new ArrayList<>(settings.values());
		this.processor = processor;
		// The load generator's JVM boots while the roles start.
		try {
			this.loadGenerator = LoadGenerator.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the load generator's JVM", ex);
		}
		try {
			this.cluster = GatewayCluster.start(
					new GatewayCluster.Settings(bootstrapServers, GatewayCluster.Ports.random(), all), true, processor);
		}
		catch (RuntimeException ex) {
			closeQuietly(this.loadGenerator);
			throw ex;
		}
	}

	private static void closeQuietly(LoadGenerator generator) {
		try {
			generator.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Sends load through every role and waits until it is processed, then forgets it: the
	 * measured load then meets compiled code, connected clients and joined consumer
	 * groups, as the FIFO baseline after it does.
	 * @throws IllegalStateException when the warm-up's events are not all processed
	 * within {@link #WARM_UP_DRAIN}: they would be processed during the measured load,
	 * taking its capacity and counting as its events
	 */
	void warmUp(Duration length, int rate) throws InterruptedException {
		// Each warm-up its own run id, so that a straggler of one is not taken for
		// another's.
		GatewayLoad load = load("warm-up-" + (++this.warmUps));
		load.run(rate, length, 0.1, 0.3);
		long left = awaitProcessed(load.accepted(), WARM_UP_DRAIN);
		if (left > 0) {
			throw new IllegalStateException(left + " of the warm-up's " + load.accepted().size() + " events at " + rate
					+ "/s were not processed within " + WARM_UP_DRAIN.toSeconds()
					+ "s: the gateway cannot keep up with the warm-up rate, and the measurement would include them");
		}
		this.processor.reset();
	}

	GatewayLoad load(String runId) {
		return new GatewayLoad(this.loadGenerator, this.cluster.ingestGrpcPort(), runId);
	}

	/** The load generator's JVM every load of this gateway is sent from. */
	LoadGenerator loadGenerator() {
		return this.loadGenerator;
	}

	GatewayCluster cluster() {
		return this.cluster;
	}

	BenchProcessor processor() {
		return this.processor;
	}

	/** Waits until every accepted event was processed; returns how many were not. */
	long awaitProcessed(Set<String> accepted, Duration timeout) throws InterruptedException {
		return this.processor.awaitProcessed(accepted, timeout);
	}

	@Override
	public void close() throws InterruptedException {
		try {
			this.loadGenerator.close();
		}
		finally {
			this.cluster.close();
		}
	}

}
