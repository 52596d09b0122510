package io.eventgateway.orchestrator.delay;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.eventgateway.orchestrator.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** What the delay forwarder's overdue gauge shows. */
class DelayMetersTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final DelayStats stats = new DelayStats();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void overdueIsZeroUntilTheEarliestHeldRecordIsPastDueThenHowFarPast() {
		new DelayMeters(this.stats, this.clock).bindTo(this.registry);
		assertThat(overdue()).isZero();

		long due = this.clock.millis() + 5_000;
		this.stats.held(2, due);
		assertThat(overdue()).isZero();

		this.clock.advance(Duration.ofSeconds(35));
		assertThat(overdue()).isEqualTo(30.0);

		this.stats.held(0, Long.MAX_VALUE);
		assertThat(overdue()).isZero();
	}

	private double overdue() {
		return this.registry.get("gateway.orchestrator.delay.overdue.seconds").gauge().value();
	}

}
