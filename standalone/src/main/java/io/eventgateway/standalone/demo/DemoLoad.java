package io.eventgateway.standalone.demo;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.eventgateway.client.Event;
import io.eventgateway.client.GatewayClient;
import io.eventgateway.client.SendResult;
import io.eventgateway.common.event.Priority;

/**
 * Sends a steady stream of sample events to ingest's gRPC API through the producer
 * client, as a team's service would: 10% real-time triggers (P30), 30% interactive (P20),
 * 60% bulk (P10) under the default classifier rules, from a few companies. Counts the
 * events ingest accepted, per priority, from their results.
 */
public final class DemoLoad implements AutoCloseable {

	private static final int BATCH_SIZE = 20;

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor((runnable) -> new Thread(runnable, "demo-load"));

	private final Map<Priority, LongAdder> accepted = new EnumMap<>(Priority.class);

	private final GatewayClient client;

	private final LongAdder failures = new LongAdder();

	private long sequence;

	private DemoLoad(GatewayClient client) {
		this.client = client;
		for (Priority priority : Priority.values()) {
			this.accepted.put(priority, new LongAdder());
		}
	}

	/**
	 * Starts sending about {@code eventsPerSecond} events to ingest's gRPC API at the
	 * given loopback port.
	 */
	public static DemoLoad start(int ingestGrpcPort, int eventsPerSecond) {
		DemoLoad load = new DemoLoad(GatewayClient.builder()
			.target("127.0.0.1:" + ingestGrpcPort)
			.usePlaintext()
			.maxEventsPerBatch(BATCH_SIZE)
			.closeTimeout(Duration.ofSeconds(5))
			.build());
		long periodMicros = Math.max(1, 1_000_000L * BATCH_SIZE / Math.max(1, eventsPerSecond));
		load.scheduler.scheduleAtFixedRate(load::sendBatch, 0, periodMicros, TimeUnit.MICROSECONDS);
		return load;
	}

	/** Events of this priority ingest accepted so far. */
	public long accepted(Priority priority) {
		return this.accepted.get(priority).sum();
	}

	/**
	 * Events that were not accepted (invalid, or not stored after the client's retries).
	 */
	public long failures() {
		return this.failures.sum();
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.client.close();
	}

	private void sendBatch() {
		for (int i = 0; i < BATCH_SIZE; i++) {
			long n = this.sequence++;
			this.client
				.send(Event.ofJson(eventType(n), "demo", "{\"sequence\":" + n + "}")
					.withCompanyId("demo-company-" + (n % 7)))
				.whenComplete(this::count);
		}
	}

	private void count(SendResult result, Throwable failure) {
		if (result != null && result.isAccepted()) {
			this.accepted.get(Priority.valueOf(result.priority())).increment();
		}
		else {
			this.failures.increment();
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
