package io.eventgateway.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.bench.load.LoadGenerator;
import io.eventgateway.bench.load.LoadOutcome;

/**
 * Open-loop load into ingest's gRPC API, sent by the load generator's own JVM through the
 * producer client: events are due at fixed intervals whatever the answers, the client
 * batches them (50 events, or the same linger the raw Kafka baseline's producer has), and
 * each carries its intended send time, so a slow gateway shows as latency instead of as a
 * lower offered rate.
 */
final class GatewayLoad {

	private final LoadGenerator generator;

	private final int ingestGrpcPort;

	private final String runId;

	private final Set<String> accepted = ConcurrentHashMap.newKeySet();

	private long offered;

	private long refused;

	private LoadOutcome outcome;

	GatewayLoad(LoadGenerator generator, int ingestGrpcPort, String runId) {
		this.generator = generator;
		this.ingestGrpcPort = ingestGrpcPort;
		this.runId = runId;
	}

	/**
	 * Offers {@code rate} events per second for {@code duration}, with the given shares
	 * of P30 and P20 (the rest P10), and returns when every event was answered.
	 */
	void run(int rate, Duration duration, double p30Share, double p20Share) throws InterruptedException {
		LoadOutcome run;
		try {
			run = this.generator.gateway(this.runId, "127.0.0.1:" + this.ingestGrpcPort, rate, duration, p30Share,
					p20Share);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not reach the load generator", ex);
		}
		run.acceptedSequences().stream().forEach((sequence) -> this.accepted.add(this.runId + "-" + sequence));
		this.offered += run.offered();
		this.refused += run.refused();
		this.outcome = run;
	}

	/** Ids of the events ingest accepted. */
	Set<String> accepted() {
		return this.accepted;
	}

	long offered() {
		return this.offered;
	}

	long refused() {
		return this.refused;
	}

	/** The last run's outcome, with its achieved send rate. */
	LoadOutcome outcome() {
		return this.outcome;
	}

}
