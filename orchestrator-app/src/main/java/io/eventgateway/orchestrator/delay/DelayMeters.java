package io.eventgateway.orchestrator.delay;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The delay forwarder's meters: {@code gateway.orchestrator.delay.forwarded} (tag
 * {@code outcome}: due, next-tier, dead-letter), {@code .write.failures} and
 * {@code .held.partitions}.
 */
public final class DelayMeters implements MeterBinder {

	private static final String PREFIX = "gateway.orchestrator.delay.";

	private final DelayStats stats;

	public DelayMeters(DelayStats stats) {
		this.stats = stats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (DelayOutcome outcome : DelayOutcome.values()) {
			FunctionCounter.builder(PREFIX + "forwarded", this.stats, (stats) -> stats.forwardedCount(outcome))
				.description("Delay-topic records written on, once acknowledged: to their destination when due, "
						+ "to a shorter tier, or to the dead-letter topic")
				.tag("outcome", outcome.tag())
				.register(registry);
		}
		FunctionCounter.builder(PREFIX + "write.failures", this.stats, DelayStats::writeFailures)
			.description("Failed writes of delay-topic records; each partition is read again from its failed record")
			.register(registry);
		Gauge.builder(PREFIX + "held.partitions", this.stats, DelayStats::heldPartitions)
			.description("Delay-topic partitions waiting for their head record to be due")
			.register(registry);
	}

}
