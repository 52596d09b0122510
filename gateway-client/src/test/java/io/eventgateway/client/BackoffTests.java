package io.eventgateway.client;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);

	@Test
	void capGrowsByTheMultiplierUntilTheMaximum() {
		assertThat(this.backoff.capNanos(1)).isEqualTo(Duration.ofMillis(100).toNanos());
		assertThat(this.backoff.capNanos(2)).isEqualTo(Duration.ofMillis(200).toNanos());
		assertThat(this.backoff.capNanos(5)).isEqualTo(Duration.ofMillis(1600).toNanos());
		assertThat(this.backoff.capNanos(6)).isEqualTo(Duration.ofSeconds(2).toNanos());
		assertThat(this.backoff.capNanos(1000)).isEqualTo(Duration.ofSeconds(2).toNanos());
	}

	@Test
	void everyDelayIsWithinZeroAndItsCap() {
		Random random = new Random(18);
		for (int retry = 1; retry <= 12; retry++) {
			long cap = Math.min(Duration.ofSeconds(2).toNanos(), (long) (100_000_000L * Math.pow(2, retry - 1)));
			for (int i = 0; i < 1000; i++) {
				assertThat(this.backoff.delayNanos(retry, random.nextDouble())).isBetween(0L, cap);
			}
		}
	}

	@Test
	void jitterSpansTheWholeRange() {
		assertThat(this.backoff.delayNanos(3, 0.0)).isZero();
		assertThat(this.backoff.delayNanos(3, 1.0)).isEqualTo(Duration.ofMillis(400).toNanos());
		assertThat(this.backoff.delayNanos(3, 0.5)).isEqualTo(Duration.ofMillis(200).toNanos());
	}

	@Test
	void outOfRangeRandomNumbersAreClamped() {
		assertThat(this.backoff.delayNanos(1, -3)).isZero();
		assertThat(this.backoff.delayNanos(1, 7)).isEqualTo(Duration.ofMillis(100).toNanos());
	}

}
