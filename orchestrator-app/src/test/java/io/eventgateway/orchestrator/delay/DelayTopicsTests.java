package io.eventgateway.orchestrator.delay;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.kafka.TopicLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** Which topics are delay topics, and how long their records may hold a partition. */
class DelayTopicsTests {

	private final DelayTopics topics = new DelayTopics(
			new TopicLayout("ev.x", 3, List.of(Duration.ofSeconds(1), Duration.ofSeconds(10))));

	@Test
	void thePatternMatchesEveryTierOfThePrefixCurrentOrNot() {
		assertThat(this.topics.pattern().matcher("ev.x.delay.10s").matches()).isTrue();
		assertThat(this.topics.pattern().matcher("ev.x.delay.3600s").matches()).isTrue();
		// The prefix's dot is literal, and nothing may follow the tier.
		assertThat(this.topics.pattern().matcher("evXx.delay.10s").matches()).isFalse();
		assertThat(this.topics.pattern().matcher("ev.x.delay.10s.old").matches()).isFalse();
		assertThat(this.topics.pattern().matcher("ev.x.p30").matches()).isFalse();
	}

	@Test
	void aCurrentTierHoldsAtMostItsDurationAndARemovedOneTheSecondsInItsName() {
		assertThat(this.topics.maxHoldMillis("ev.x.delay.10s")).isEqualTo(10_000);
		assertThat(this.topics.maxHoldMillis("ev.x.delay.60s")).isEqualTo(60_000);
		assertThat(this.topics.maxHoldMillis("ev.x.delay.99999999999999999999s")).isEqualTo(Long.MAX_VALUE);
		assertThat(this.topics.maxHoldMillis("ev.x.p30")).isZero();
	}

}
