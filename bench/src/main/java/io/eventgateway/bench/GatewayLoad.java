package io.eventgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.client.Event;
import io.eventgateway.client.GatewayClient;
import io.eventgateway.client.SendResult;
import io.eventgateway.common.event.Priority;

/**
 * Open-loop load into ingest's gRPC API through the producer client: events are due at
 * fixed intervals whatever the answers, the client batches them (50 events, or 20 ms
 * after the first), and each carries its intended send time, so a slow gateway shows as
 * latency instead of as a lower offered rate.
 */
final class GatewayLoad {

	private static final int BATCH = 50;

	private static final Duration LINGER = Duration.ofMillis(20);

	private final int ingestGrpcPort;

	private final Set<String> accepted = ConcurrentHashMap.newKeySet();

	private final AtomicLong offered = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private final String runId;

	private long sequence;

	GatewayLoad(int ingestGrpcPort, String runId) {
		this.ingestGrpcPort = ingestGrpcPort;
		this.runId = runId;
	}

	/**
	 * Offers {@code rate} events per second for {@code duration}, with the given shares
	 * of P30 and P20 (the rest P10), and returns when every event was answered.
	 */
	void run(int rate, Duration duration, double p30Share, double p20Share) throws InterruptedException {
		long total = rate * duration.toMillis() / 1000;
		long intervalNanos = 1_000_000_000L / rate;
		List<CompletableFuture<?>> results = new ArrayList<>();
		try (GatewayClient client = client()) {
			long start = System.nanoTime();
			long next = 0;
			while (next < total) {
				long due = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
				for (; next < due; next++) {
					long intended = start + next * intervalNanos;
					double share = ((this.sequence * 7919) % 1000) / 1000.0;
					Priority priority = (share < p30Share) ? Priority.P30
							: (share < p30Share + p20Share) ? Priority.P20 : Priority.P10;
					Event event = Event
						.ofJson(IngestRequests.eventType(priority, "bench"), "bench",
								"{\"sent\":" + TimeUnit.NANOSECONDS.toMicros(intended) + "}")
						.withEventId(this.runId + "-" + this.sequence)
						.withCompanyId("company-" + (this.sequence % 50));
					this.sequence++;
					this.offered.incrementAndGet();
					results.add(client.send(event).whenComplete(this::record));
				}
				TimeUnit.MILLISECONDS.sleep(2);
			}
			CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).exceptionally((failure) -> null).join();
		}
	}

	private GatewayClient client() {
		return GatewayClient.builder()
			.target("127.0.0.1:" + this.ingestGrpcPort)
			.usePlaintext()
			.maxEventsPerBatch(BATCH)
			.linger(LINGER)
			// One attempt, as the benchmark measures what the gateway accepts when asked:
			// a refusal counts as one, not as a retry that hides it.
			.maxAttempts(1)
			.deadline(Duration.ofSeconds(60))
			.attemptTimeout(Duration.ofSeconds(60))
			// Open loop: sending never waits for answers.
			.maxInFlightBytes(Long.MAX_VALUE)
			.build();
	}

	private void record(SendResult result, Throwable failure) {
		if (result != null && result.isAccepted()) {
			this.accepted.add(result.eventId());
		}
		else {
			this.refused.incrementAndGet();
		}
	}

	/** Ids of the events ingest accepted. */
	Set<String> accepted() {
		return this.accepted;
	}

	long offered() {
		return this.offered.get();
	}

	long refused() {
		return this.refused.get();
	}

}
