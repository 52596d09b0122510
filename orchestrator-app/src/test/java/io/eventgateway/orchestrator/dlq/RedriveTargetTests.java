package io.eventgateway.orchestrator.dlq;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a redriven dead letter goes, by its origin. */
class RedriveTargetTests {

	private final DeadLetterRedriver redriver = new DeadLetterRedriver(null, null, null, null, TopicLayout.defaults(),
			Clock.systemUTC(), (count) -> {
			}, Duration.ofSeconds(1));

	@Test
	void aLetterFromAPriorityTopicGoesBackThere() {
		assertThat(this.redriver.targetOf(letter("events.p20"))).isEqualTo("events.p20");
	}

	@Test
	void aLetterFromADelayRetryOrOffloadTopicGoesToTheTopicOfItsPriority() {
		assertThat(this.redriver.targetOf(letter("events.delay.10s"))).isEqualTo("events.p10");
		assertThat(this.redriver.targetOf(letter("events.retry.2"))).isEqualTo("events.p10");
		assertThat(this.redriver.targetOf(letter("events.offload"))).isEqualTo("events.p10");
	}

	private static DeadLetter letter(String origin) {
		return new DeadLetter(0, 0, "id", "type", "acme", Priority.P10, origin, 0, 0, 0, "error", Instant.EPOCH);
	}

}
