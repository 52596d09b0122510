package io.eventgateway.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.eventgateway.common.event.Priority;
import io.eventgateway.embedded.GatewayCluster;

/**
 * Where the time of an event goes, from the roles' own timers: ingest's gRPC call, the
 * publisher's wait for Kafka, and the worker's time from the ingest stamp. Together with
 * the end-to-end latency from the intended send time, they split it into client side,
 * ingest and publish, and Kafka to worker. The timers live as long as the roles, cold
 * start included, so a phase's means come from the difference of two snapshots.
 */
final class ServerTimings {

	private final Map<String, Supplier<Timer>> timers = new LinkedHashMap<>();

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
						.timer());
			add("ingest stamp to worker " + priority,
					() -> worker.find("gateway.worker.handoff.latency").tag("priority", priority.name()).timer());
		}
		add("ingest gRPC call", () -> ingest.find("grpc.server").timer());
	}

	/** The timers' counts and totals now, to report on what happens from now on. */
	static ServerTimings start(GatewayCluster cluster) {
		return new ServerTimings(cluster);
	}

	private void add(String name, Supplier<Timer> find) {
		// A timer first used later (a priority not seen yet) starts from nothing.
		Timer timer = find.get();
		this.timers.put(name, find);
		this.before.put(name, (timer != null)
				? new long[] { timer.count(), (long) timer.totalTime(TimeUnit.NANOSECONDS) } : new long[2]);
	}

	/**
	 * Adds the mean of each timer since {@link #start}, in milliseconds, to the figures.
	 */
	void report(Map<String, Object> figures) {
		this.timers.forEach((name, find) -> {
			Timer timer = find.get();
			long[] start = this.before.get(name);
			long count = (timer != null) ? timer.count() - start[0] : 0;
			if (count > 0) {
				double nanos = timer.totalTime(TimeUnit.NANOSECONDS) - start[1];
				figures.put(name + " mean ms (measured phase)", nanos / count / 1e6);
			}
		});
	}

}
