package io.eventgateway.common.autoconfigure;

import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds each loop's meters as it registers: {@code gateway.loop.failures} (iterations
 * that threw, and a death) and {@code gateway.loop.since.progress} (seconds since its
 * last progress), tagged with the loop's name.
 */
final class LoopMeters {

	private final MeterRegistry registry;

	LoopMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	void bind(LoopHeartbeat heartbeat) {
		FunctionCounter.builder("gateway.loop.failures", heartbeat, LoopHeartbeat::failures)
			.description("Iterations of a long-running loop that threw, and loop deaths")
			.tag("loop", heartbeat.name())
			.register(this.registry);
		Gauge.builder("gateway.loop.since.progress", heartbeat, (loop) -> loop.sinceProgress().toMillis() / 1000.0)
			.description("Seconds since a long-running loop last made progress")
			.baseUnit("seconds")
			.tag("loop", heartbeat.name())
			.register(this.registry);
		Gauge.builder("gateway.loop.healthy", heartbeat, (loop) -> loop.state().healthy() ? 1 : 0)
			.description("1 while a long-running loop is alive and making progress, else 0")
			.tag("loop", heartbeat.name())
			.register(this.registry);
	}

}
