package io.eventgateway.bench.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.bench.IngestRequests;
import io.eventgateway.common.event.Priority;

/**
 * A steady, mixed-priority load into ingest's HTTP API from a few sources, each event
 * numbered in its source's sequence, and the ledger of what ingest accepted. Refused
 * batches (ingest or its publisher down) are not retried: their events were never
 * accepted, which is what the ledger has to prove about the others.
 */
final class ChaosLoad implements AutoCloseable {

	static final int SOURCES = 4;

	private static final int BATCH = 10;

	/** One event in a hundred is poison: the chaos worker fails it on every attempt. */
	private static final int POISON_EVERY = 100;

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	/** The source number of big events, after the steady sources. */
	private static final int BIG_SOURCE = SOURCES;

	/**
	 * A big event's payload: just under ingest's default limit of 256 KB
	 * ({@code gateway.ingest.limits.max-event-bytes}).
	 */
	static final int BIG_PAYLOAD_BYTES = 250_000;

	/** Big events per request: 1.25 MB, well inside ingest's 5 MB request limit. */
	private static final int BIG_PER_REQUEST = 5;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<URI> endpoints;

	private final int rate;

	private final Map<String, Sent> sent = new ConcurrentHashMap<>();

	private final Map<String, Sent> accepted = new ConcurrentHashMap<>();

	private final AtomicLong refusedBatches = new AtomicLong();

	private final AtomicInteger pending = new AtomicInteger();

	private final Thread thread;

	private final long[] sequences = new long[SOURCES];

	private volatile boolean running = true;

	private long counter;

	private long bigSequence;

	private long requests;

	/**
	 * @param ingestAddresses where the ingest instances listen ({@code host:port}):
	 * requests go to each in turn
	 * @param rate events per second
	 */
	ChaosLoad(List<String> ingestAddresses, int rate) {
		this.endpoints = ingestAddresses.stream()
			.map((address) -> URI.create("http://" + address + "/v1/events"))
			.toList();
		this.rate = rate;
		this.thread = new Thread(this::run, "chaos-load");
	}

	void start() {
		this.thread.start();
	}

	private void run() {
		long intervalNanos = TimeUnit.SECONDS.toNanos(1) * BATCH / this.rate;
		long next = System.nanoTime();
		while (this.running) {
			try {
				send(batch(), 0);
			}
			catch (RuntimeException ex) {
				// A batch that could not even be sent is a refused batch; the load goes
				// on.
				this.refusedBatches.incrementAndGet();
			}
			next += intervalNanos;
			long wait = next - System.nanoTime();
			if (wait > 0) {
				try {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

	private List<Sent> batch() {
		Sent[] batch = new Sent[BATCH];
		long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		for (int i = 0; i < BATCH; i++) {
			int source = (int) (this.counter % SOURCES);
			long sequence = this.sequences[source]++;
			long share = (this.counter * 7919) % 100;
			Priority priority = (share < 10) ? Priority.P30 : (share < 40) ? Priority.P20 : Priority.P10;
			boolean poison = this.counter % POISON_EVERY == POISON_EVERY / 2;
			batch[i] = new Sent("s" + source + "-" + sequence, priority, now, poison);
			this.counter++;
		}
		return List.of(batch);
	}

	/**
	 * Sends {@code count} events with payloads near ingest's limit, a few per request,
	 * besides the steady load; their ids are {@code s4-<n>}. Called from the harness
	 * thread only.
	 */
	void sendBig(int count) {
		long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		List<Sent> request = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			long sequence = this.bigSequence++;
			// Mostly bulk, some interactive, one urgent in ten: a big P30 event must not
			// hold up the small ones either.
			long share = sequence % 10;
			Priority priority = (share == 0) ? Priority.P30 : (share < 4) ? Priority.P20 : Priority.P10;
			request.add(new Sent("s" + BIG_SOURCE + "-" + sequence, priority, now, false));
			if (request.size() == BIG_PER_REQUEST || i == count - 1) {
				send(List.copyOf(request), BIG_PAYLOAD_BYTES);
				request.clear();
			}
		}
	}

	/**
	 * Sends one request; {@code payloadBytes} above 0 pads each payload to about that
	 * size.
	 */
	private void send(List<Sent> batch, int payloadBytes) {
		StringBuilder body = new StringBuilder("{\"events\":[");
		for (Sent event : batch) {
			this.sent.put(event.id(), event);
			body.append((body.length() > 12) ? "," : "")
				.append("{\"event_id\":\"")
				.append(event.id())
				.append("\",\"company_id\":\"")
				.append(event.id(), 0, event.id().indexOf('-'))
				.append("\",\"event_type\":\"")
				.append(IngestRequests.eventType(event.priority(), "chaos"))
				.append("\",\"source\":\"chaos\",\"payload\":{\"sent\":")
				.append(event.sentMicros())
				.append(event.poison() ? "," + LedgerProcessor.POISON_MARK : "")
				.append((payloadBytes > 0) ? ",\"pad\":\"" + "x".repeat(payloadBytes - 64) + "\"" : "")
				.append("}}");
		}
		this.pending.incrementAndGet();
		URI endpoint;
		synchronized (this.endpoints) {
			endpoint = this.endpoints.get((int) (this.requests++ % this.endpoints.size()));
		}
		this.client
			.sendAsync(HttpRequest.newBuilder(endpoint)
				.timeout(REQUEST_TIMEOUT)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString()))
				.build(), HttpResponse.BodyHandlers.ofString())
			.thenAccept((response) -> {
				for (String id : IngestRequests.acceptedIds(response.body())) {
					this.accepted.put(id, this.sent.get(id));
				}
				if (response.statusCode() >= 300) {
					this.refusedBatches.incrementAndGet();
				}
			})
			.exceptionally((failure) -> {
				this.refusedBatches.incrementAndGet();
				return null;
			})
			.whenComplete((ignored, failure) -> this.pending.decrementAndGet());
	}

	/** Events ingest accepted, by id. */
	Map<String, Sent> accepted() {
		return this.accepted;
	}

	/** Every event sent, accepted or not, by id. */
	Map<String, Sent> sent() {
		return this.sent;
	}

	long refusedBatches() {
		return this.refusedBatches.get();
	}

	/** Stops sending and waits for the answers to what was sent. */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join();
		long deadline = System.nanoTime() + REQUEST_TIMEOUT.plusSeconds(5).toNanos();
		while (this.pending.get() > 0 && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
	}

	/**
	 * One event the load sent.
	 *
	 * @param id its id: source and sequence number
	 * @param priority the priority its type asks for
	 * @param sentMicros when it was sent (epoch microseconds)
	 * @param poison whether the worker fails it on every attempt
	 */
	record Sent(String id, Priority priority, long sentMicros, boolean poison) {
	}

}
