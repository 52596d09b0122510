package io.eventgateway.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.eventgateway.common.event.Priority;
import io.eventgateway.embedded.GatewayCluster;

/**
 * Where the time of an event goes, from the roles' own timers: ingest's HTTP request, the
 * publisher's wait for Kafka, and the worker's time from the ingest stamp. Together with
 * the end-to-end latency from the intended send time, they split it into client side,
 * ingest and publish, and Kafka to worker.
 */
final class ServerTimings {

	private ServerTimings() {
	}

	/** Adds mean and max of each timer, in milliseconds, to the figures. */
	static void report(GatewayCluster cluster, Map<String, Object> figures) {
		MeterRegistry ingest = cluster.ingest().getBean(MeterRegistry.class);
		MeterRegistry publisher = cluster.publisher().getBean(MeterRegistry.class);
		MeterRegistry worker = cluster.worker().getBean(MeterRegistry.class);
		put(figures, "ingest HTTP request", ingest.find("http.server.requests").tag("uri", "/v1/events").timer());
		for (Priority priority : Priority.values()) {
			put(figures, "publisher send to Kafka ack " + priority,
					publisher.find("gateway.publisher.publish.latency")
						.tag("priority", priority.name())
						.tag("cluster", "primary")
						.timer());
			put(figures, "ingest stamp to worker " + priority,
					worker.find("gateway.worker.handoff.latency").tag("priority", priority.name()).timer());
		}
	}

	private static void put(Map<String, Object> figures, String name, Timer timer) {
		if (timer != null && timer.count() > 0) {
			figures.put(name + " mean ms", timer.mean(TimeUnit.MILLISECONDS));
			figures.put(name + " max ms", timer.max(TimeUnit.MILLISECONDS));
		}
	}

}
