package io.eventgateway.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
	 * The server observation's timer name; one timer per service, method and status code,
	 * of every gRPC service the role serves (health included).
	 */
	static final String GRPC_SERVER_TIMER = "grpc.server";

	private final Map<String, Supplier<Collection<Timer>>> timers = new LinkedHashMap<>();

	private final Map<String, long[]> before = new LinkedHashMap<>();

	private ServerTimings(GatewayCluster cluster) {
		MeterRegistry ingest = cluster.ingest().getBean(MeterRegistry.class);
		MeterRegistry publisher = cluster.publisher().getBean(MeterRegistry.class);
		MeterRegistry worker = cluster.worker().getBean(MeterRegistry.class);
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
			.tag("rpc.service", IngestServiceGrpc.SERVICE_NAME)
			.tag("rpc.method", IngestServiceGrpc.getIngestEventsMethod().getBareMethodName())
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
	 * Adds the mean of each timer since {@link #start}, in milliseconds, to the figures.
	 */
	void report(Map<String, Object> figures) {
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
