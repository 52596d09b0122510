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
 * The burst itself: large events (a padded payload that still carries the intended send
 * time), open loop at the plan's rate through ingest's gRPC API, each priority in its
 * share. Apart from the steady load generator because only the burst needs events of a
 * chosen size and a mix of its own.
 */
final class BurstLoad {

	/** What one call to ingest may carry, well below its 5MB request limit. */
	private static final long MAX_BATCH_BYTES = 1024 * 1024;

	private final int ingestGrpcPort;

	private final Set<String> accepted = ConcurrentHashMap.newKeySet();

	private final AtomicLong refused = new AtomicLong();

	BurstLoad(int ingestGrpcPort) {
		this.ingestGrpcPort = ingestGrpcPort;
	}

	/** Offers the plan's burst and returns when every event was answered. */
	void run(BurstPlan plan) throws InterruptedException {
		String padding = "x".repeat(plan.payloadBytes());
		long intervalNanos = 1_000_000_000L / plan.rate();
		double p30 = plan.shares().get(Priority.P30);
		double p20 = p30 + plan.shares().get(Priority.P20);
		List<CompletableFuture<?>> results = new ArrayList<>();
		try (GatewayClient client = GatewayClient.builder()
			.target("127.0.0.1:" + this.ingestGrpcPort)
			.usePlaintext()
			.maxEventsPerBatch(50)
			.maxBytesPerBatch(MAX_BATCH_BYTES)
			.linger(Duration.ofMillis(5))
			// One attempt: a refusal counts as one, not as a retry that hides it.
			.maxAttempts(1)
			.deadline(Duration.ofSeconds(120))
			.attemptTimeout(Duration.ofSeconds(120))
			.maxInFlightBytes(Long.MAX_VALUE)
			.build()) {
			long start = System.nanoTime();
			long next = 0;
			while (next < plan.events()) {
				long due = Math.min(plan.events(), (System.nanoTime() - start) / intervalNanos + 1);
				for (; next < due; next++) {
					long intended = start + next * intervalNanos;
					// Spread each priority evenly through the burst.
					double position = ((next * 7919) % 1000) / 1000.0;
					Priority priority = (position < p30) ? Priority.P30
							: (position < p20) ? Priority.P20 : Priority.P10;
					Event event = Event
						.ofJson(IngestRequests.eventType(priority, "burst"), "bench",
								"{\"sent\":" + TimeUnit.NANOSECONDS.toMicros(intended) + ",\"pad\":\"" + padding
										+ "\"}")
						.withEventId("burst-" + next)
						.withCompanyId("company-" + (next % 50));
					results.add(client.send(event).whenComplete(this::record));
				}
				TimeUnit.MILLISECONDS.sleep(2);
			}
			CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).exceptionally((failure) -> null).join();
		}
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

	long refused() {
		return this.refused.get();
	}

}
