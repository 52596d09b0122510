package io.eventgateway.publisher.publish;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.eventgateway.common.event.Priority;

/**
 * The publisher's meters: outcomes per priority, write latency, and failures by error
 * type.
 */
public class PublishMetrics {

	private final MeterRegistry registry;

	private final Map<Priority, Counter> accepted = new EnumMap<>(Priority.class);

	private final Map<Priority, Timer> latency = new EnumMap<>(Priority.class);

	public PublishMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (Priority priority : Priority.values()) {
			this.accepted.put(priority,
					Counter.builder("gateway.publisher.events")
						.description("Events the publisher handled, by outcome")
						.tag("priority", priority.name())
						.tag("outcome", "accepted")
						.register(registry));
			this.latency.put(priority,
					Timer.builder("gateway.publisher.publish.latency")
						.description("Time from send to Kafka acknowledgement")
						.tag("priority", priority.name())
						.register(registry));
		}
	}

	void accepted(Priority priority, long nanos) {
		this.accepted.get(priority).increment();
		this.latency.get(priority).record(nanos, TimeUnit.NANOSECONDS);
	}

	void failed(Priority priority, Throwable failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		this.registry
			.counter("gateway.publisher.publish_failed", "priority", priority.name(), "error_type",
					cause.getClass().getSimpleName())
			.increment();
		rejected(priority.name());
	}

	/**
	 * Counts a rejected event; the priority tag is "none" when the event had no valid
	 * one.
	 */
	void rejected(String priorityTag) {
		this.registry.counter("gateway.publisher.events", "priority", priorityTag, "outcome", "rejected").increment();
	}

}
