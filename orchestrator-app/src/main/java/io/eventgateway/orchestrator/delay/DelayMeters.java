package io.eventgateway.orchestrator.delay;

import java.time.Clock;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The delay forwarder's meters: {@code gateway.orchestrator.delay.forwarded} (tag
 * {@code outcome}: due, next-tier, dead-letter), {@code .write.failures},
 * {@code .held.partitions} and {@code .overdue.seconds}.
 */
public final class DelayMeters implements MeterBinder {

	private static final String PREFIX = "gateway.orchestrator.delay.";

	private final DelayStats stats;

	private final Clock clock;

	/**
	 * @param stats what the forwarder counts
	 * @param clock the time overdue records are measured against
	 */
	public DelayMeters(DelayStats stats, Clock clock) {
		this.stats = stats;
		this.clock = clock;
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
		Gauge.builder(PREFIX + "overdue.seconds", this.stats, (stats) -> stats.overdueSeconds(this.clock.millis()))
			.description("Seconds the most overdue held delay record is past its due time (0 when none): "
					+ "grows while the forwarder does not get back to its held partitions")
			.baseUnit("seconds")
			.register(registry);
	}

}
