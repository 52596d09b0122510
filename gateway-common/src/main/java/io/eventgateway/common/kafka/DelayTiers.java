package io.eventgateway.common.kafka;

import java.time.Duration;
import java.util.List;

/**
 * Checks the delay tiers of a {@link TopicLayout}: each names a topic by its whole
 * seconds, so tiers must be whole, positive, distinct seconds, shortest first.
 */
final class DelayTiers {

	private DelayTiers() {
	}

	static List<Duration> checked(List<Duration> tiers) {
		if (tiers == null || tiers.isEmpty()) {
			throw new IllegalArgumentException("gateway.topics.delay-tiers must name at least one tier");
		}
		Duration previous = Duration.ZERO;
		for (Duration tier : tiers) {
			if (tier == null || tier.compareTo(Duration.ofSeconds(1)) < 0 || tier.toMillis() % 1000 != 0) {
				throw new IllegalArgumentException(
						"gateway.topics.delay-tiers must be whole seconds of at least 1s, was " + tiers);
			}
			if (tier.compareTo(previous) <= 0) {
				throw new IllegalArgumentException(
						"gateway.topics.delay-tiers must be distinct and shortest first, was " + tiers);
			}
			previous = tier;
		}
		return List.copyOf(tiers);
	}

}
