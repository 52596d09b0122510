package io.eventgateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.common.event.Priority;

/**
 * Open-loop load into ingest's HTTP API: events are due at fixed intervals whatever the
 * answers, sent in small batches, and each carries its intended send time, so a slow
 * gateway shows as latency instead of as a lower offered rate.
 */
final class GatewayLoad {

	private static final int BATCH = 50;

	private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI endpoint;

	private final Set<String> accepted = ConcurrentHashMap.newKeySet();

	private final AtomicLong offered = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private final String runId;

	private long sequence;

	GatewayLoad(int ingestPort, String runId) {
		this.endpoint = URI.create("http://127.0.0.1:" + ingestPort + "/v1/events");
		this.runId = runId;
	}

	/**
	 * Offers {@code rate} events per second for {@code duration}, with the given shares
	 * of P30 and P20 (the rest P10), and returns when every request was answered.
	 */
	void run(int rate, Duration duration, double p30Share, double p20Share) throws InterruptedException {
		long total = rate * duration.toMillis() / 1000;
		long intervalNanos = 1_000_000_000L / rate;
		long start = System.nanoTime();
		List<CompletableFuture<?>> requests = new ArrayList<>();
		long next = 0;
		while (next < total) {
			long now = System.nanoTime();
			long due = Math.min(total, (now - start) / intervalNanos + 1);
			// As a client would: a batch once BATCH events are due, or once the oldest
			// due
			// event has waited LINGER, or at the end. Each event keeps its own intended
			// time, so the wait counts in its latency.
			boolean send = due - next >= BATCH || due == total
					|| (due > next && now - (start + next * intervalNanos) >= LINGER_NANOS);
			while (send && next < due) {
				int count = (int) Math.min(BATCH, due - next);
				StringBuilder body = new StringBuilder("{\"events\":[");
				for (int i = 0; i < count; i++) {
					long intended = start + (next + i) * intervalNanos;
					double share = ((this.sequence * 7919) % 1000) / 1000.0;
					Priority priority = (share < p30Share) ? Priority.P30
							: (share < p30Share + p20Share) ? Priority.P20 : Priority.P10;
					body.append((i > 0) ? "," : "")
						.append("{\"event_id\":\"")
						.append(this.runId)
						.append('-')
						.append(this.sequence)
						.append("\",\"company_id\":\"company-")
						.append(this.sequence % 50)
						.append("\",\"event_type\":\"")
						.append(IngestRequests.eventType(priority, "bench"))
						.append("\",\"source\":\"bench\",\"payload\":{\"sent\":")
						.append(TimeUnit.NANOSECONDS.toMicros(intended))
						.append("}}");
					this.sequence++;
				}
				next += count;
				this.offered.addAndGet(count);
				requests.add(this.client
					.sendAsync(HttpRequest.newBuilder(this.endpoint)
						.timeout(Duration.ofSeconds(60))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
						.build(), HttpResponse.BodyHandlers.ofString())
					.thenAccept((response) -> record(response.body(), count))
					.exceptionally((failure) -> {
						this.refused.addAndGet(count);
						return null;
					}));
			}
			TimeUnit.MILLISECONDS.sleep(2);
		}
		CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
	}

	private void record(String body, int count) {
		List<String> ids = IngestRequests.acceptedIds(body);
		this.accepted.addAll(ids);
		this.refused.addAndGet(count - ids.size());
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
