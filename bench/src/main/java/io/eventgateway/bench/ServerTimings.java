package io.eventgateway.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.eventgateway.common.event.Priority;
import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.proto.v1.IngestServiceGrpc;

/**
 * Where the time of an event goes, from the roles' own timers: ingest's gRPC call, the
 * publisher's wait for Kafka, and the worker's time from the ingest stamp. Together with
 * the end-to-end latency from the intended send time, they split it into client side,
 * ingest and publish, and Kafka to worker. The timers live as long as the roles, cold
 * start included, so a phase's means come from the difference of two snapshots.
 */
final class ServerTimings {

	/**
	 * The gRPC server's timer while tracing is off (as in the benchmarks): one timer per
	 * service, method and status code, of every gRPC service the role serves (health
	 * included).
	 */
	static final String GRPC_SERVER_TIMER = "grpc.server.processing.duration";

	/** Ingest's publish calls, one counter per lane and outcome. */
	static final String PUBLISH_CALLS = "gateway.ingest.publish.calls";

	private final Map<String, Supplier<Collection<Timer>>> timers = new LinkedHashMap<>();

	private final Map<String, long[]> before = new LinkedHashMap<>();

	/** Each role's gRPC server calls by method, counted at the start. */
	private final Map<String, Long> callsBefore;

	private final Map<String, MeterRegistry> servers = new LinkedHashMap<>();

	private final long startNanos = System.nanoTime();

	/** The calls when the load ended, and when that was; until then, none. */
	private Map<String, Long> callsAtEnd;

	private long endNanos;

	private ServerTimings(GatewayCluster cluster) {
		MeterRegistry ingest = cluster.ingest().getBean(MeterRegistry.class);
		MeterRegistry publisher = cluster.publisher().getBean(MeterRegistry.class);
		MeterRegistry worker = cluster.worker().getBean(MeterRegistry.class);
		this.servers.put("ingest", ingest);
		this.servers.put("publisher", publisher);
		this.servers.put("orchestrator", cluster.orchestrator().getBean(MeterRegistry.class));
		this.callsBefore = serverCalls();
		for (Priority priority : Priority.values()) {
			add("publisher send to Kafka ack " + priority,
					() -> publisher.find("gateway.publisher.publish.latency")
						.tag("priority", priority.name())
						.tag("cluster", "primary")
						.timers());
			add("ingest stamp to worker " + priority,
					() -> worker.find("gateway.worker.handoff.latency").tag("priority", priority.name()).timers());
		}
		add("ingest gRPC call", () -> ingestEventsTimers(ingest));
	}

	/**
	 * Ingest's IngestEvents calls, every status code together: the timers of that one
	 * method, not whichever {@value #GRPC_SERVER_TIMER} timer a registry lists first (a
	 * health check's, or one status code's).
	 */
	static Collection<Timer> ingestEventsTimers(MeterRegistry ingest) {
		return ingest.find(GRPC_SERVER_TIMER)
			.tag("service", IngestServiceGrpc.SERVICE_NAME)
			.tag("method", IngestServiceGrpc.getIngestEventsMethod().getBareMethodName())
			.timers();
	}

	/** The timers' counts and totals now, to report on what happens from now on. */
	static ServerTimings start(GatewayCluster cluster) {
		return new ServerTimings(cluster);
	}

	private void add(String name, Supplier<Collection<Timer>> find) {
		// A timer first used later (a priority or status not seen yet) starts from
		// nothing.
		this.timers.put(name, find);
		this.before.put(name, totals(find.get()));
	}

	/** Count and total nanoseconds of some timers together. */
	static long[] totals(Collection<Timer> timers) {
		long[] totals = new long[2];
		for (Timer timer : timers) {
			totals[0] += timer.count();
			totals[1] += (long) timer.totalTime(TimeUnit.NANOSECONDS);
		}
		return totals;
	}

	/**
	 * Calls each role served since it started, by method: {@code role Service/Method},
	 * every status code together, where the role observes its gRPC server, and ingest's
	 * calls to the publisher. How many calls the pipeline makes per event is what its
	 * per-call costs (HTTP/2 headers, a stream on each side) are multiplied by.
	 */
	private Map<String, Long> serverCalls() {
		Map<String, Long> calls = new LinkedHashMap<>();
		this.servers.forEach((role, registry) -> {
			for (Timer timer : registry.find(GRPC_SERVER_TIMER).timers()) {
				String method = role + " " + timer.getId().getTag("service") + "/" + timer.getId().getTag("method");
				calls.merge(method, timer.count(), Long::sum);
			}
		});
		// The same calls as the publisher's PublishEvents row, counted by the caller.
		MeterRegistry ingest = this.servers.get("ingest");
		for (Counter counter : ingest.find(PUBLISH_CALLS).counters()) {
			calls.merge("ingest to publisher", (long) counter.count(), Long::sum);
		}
		return calls;
	}

	/**
	 * Marks the end of the load: calls per second count calls up to now, not those of the
	 * drain after it (the workers' long polls for the last tasks).
	 */
	void loadEnded() {
		this.callsAtEnd = serverCalls();
		this.endNanos = System.nanoTime();
	}

	/**
	 * Adds the mean of each timer since {@link #start}, in milliseconds, and each gRPC
	 * method's calls per second while the load ran, to the figures.
	 */
	void report(Map<String, Object> figures) {
		if (this.callsAtEnd == null) {
			loadEnded();
		}
		double seconds = (this.endNanos - this.startNanos) / 1e9;
		this.callsAtEnd.forEach((method, count) -> {
			long calls = count - this.callsBefore.getOrDefault(method, 0L);
			if (calls > 0 && !method.contains("grpc.health")) {
				figures.put("gRPC calls/s, " + method + " (measured phase)", calls / seconds);
			}
		});
		this.timers.forEach((name, find) -> {
			long[] now = totals(find.get());
			long[] start = this.before.get(name);
			long count = now[0] - start[0];
			if (count > 0) {
				figures.put(name + " mean ms (measured phase)", (now[1] - start[1]) / (double) count / 1e6);
			}
		});
	}

}
