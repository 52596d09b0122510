package io.eventgateway.standalone.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventgateway.common.event.Priority;

/**
 * Sends a steady stream of sample events over ingest's HTTP API: 10% real-time triggers
 * (P30), 30% interactive (P20), 60% bulk (P10) under the default classifier rules, from a
 * few companies. Counts the events ingest accepted, per priority, from its answers.
 */
public final class DemoLoad implements AutoCloseable {

	private static final int BATCH_SIZE = 20;

	private static final Pattern ACCEPTED_PRIORITY = Pattern
		.compile("\"status\":\"accepted\",\"priority\":\"(P\\d0)\"");

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor((runnable) -> new Thread(runnable, "demo-load"));

	private final Map<Priority, LongAdder> accepted = new EnumMap<>(Priority.class);

	private final URI endpoint;

	private final LongAdder failures = new LongAdder();

	private long sequence;

	private DemoLoad(URI endpoint) {
		this.endpoint = endpoint;
		for (Priority priority : Priority.values()) {
			this.accepted.put(priority, new LongAdder());
		}
	}

	/**
	 * Starts sending about {@code eventsPerSecond} events to ingest at the given port.
	 */
	public static DemoLoad start(int ingestPort, int eventsPerSecond) {
		DemoLoad load = new DemoLoad(URI.create("http://127.0.0.1:" + ingestPort + "/v1/events"));
		long periodMicros = Math.max(1, 1_000_000L * BATCH_SIZE / Math.max(1, eventsPerSecond));
		load.scheduler.scheduleAtFixedRate(load::sendBatch, 0, periodMicros, TimeUnit.MICROSECONDS);
		return load;
	}

	/** Events of this priority ingest accepted so far. */
	public long accepted(Priority priority) {
		return this.accepted.get(priority).sum();
	}

	/** Requests that failed outright. */
	public long failures() {
		return this.failures.sum();
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	private void sendBatch() {
		StringBuilder body = new StringBuilder("{\"events\":[");
		for (int i = 0; i < BATCH_SIZE; i++) {
			long n = this.sequence++;
			if (i > 0) {
				body.append(',');
			}
			body.append("{\"company_id\":\"demo-company-")
				.append(n % 7)
				.append("\",\"event_type\":\"")
				.append(eventType(n))
				.append("\",\"source\":\"demo\",\"payload\":{\"sequence\":")
				.append(n)
				.append("}}");
		}
		body.append("]}");
		try {
			HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(this.endpoint)
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
			Matcher matcher = ACCEPTED_PRIORITY.matcher(response.body());
			while (matcher.find()) {
				this.accepted.get(Priority.valueOf(matcher.group(1))).increment();
			}
		}
		catch (java.io.IOException ex) {
			this.failures.increment();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String eventType(long n) {
		long slot = n % 10;
		if (slot == 0) {
			return "trigger.flow-started";
		}
		return (slot <= 3) ? "interactive.profile-updated" : "bulk.catalog-synced";
	}

	/** The priorities, most urgent first, as the report lists them. */
	static List<Priority> reportOrder() {
		return List.of(Priority.P30, Priority.P20, Priority.P10);
	}

}
