package io.eventgateway.common.kafka;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TopicLayoutTests {

	@Test
	void namesDeriveFromThePrefix() {
		TopicLayout layout = new TopicLayout("acme", 2);
		assertThat(layout.priority(Priority.P30)).isEqualTo("acme.p30");
		assertThat(layout.priorityTopics()).containsExactly("acme.p30", "acme.p20", "acme.p10");
		assertThat(layout.responses()).isEqualTo("acme.responses");
		assertThat(layout.retryTopics()).containsExactly("acme.retry.1", "acme.retry.2");
		assertThat(layout.all()).hasSize(14).allMatch((name) -> name.startsWith("acme."));
	}

	@Test
	void delayTopicsAreNamedByTheirSeconds() {
		TopicLayout layout = new TopicLayout("acme", 1, List.of(Duration.ofSeconds(5), Duration.ofMinutes(2)));
		assertThat(layout.delayTopics()).containsExactly("acme.delay.5s", "acme.delay.120s");
		assertThat(layout.delayTierOf("acme.delay.120s")).isEqualTo(Duration.ofMinutes(2));
		assertThat(layout.delayTierOf("acme.p30")).isNull();
		assertThat(layout.all()).contains("acme.delay.5s", "acme.delay.120s");
	}

	@Test
	void anEventWaitsInTheLongestTierThatItsRemainingDelayFills() {
		TopicLayout layout = new TopicLayout("acme", 1, List.of(Duration.ofSeconds(1), Duration.ofMinutes(1)));
		assertThat(layout.delayTierFor(Duration.ofMillis(300))).isEqualTo(Duration.ofSeconds(1));
		assertThat(layout.delayTierFor(Duration.ofSeconds(59))).isEqualTo(Duration.ofSeconds(1));
		assertThat(layout.delayTierFor(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
		assertThat(layout.delayTierFor(Duration.ofHours(3))).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void delayTiersMustBeWholeAscendingSeconds() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TopicLayout("acme", 1, List.of(Duration.ofMillis(1500))))
			.withMessageContaining("gateway.topics.delay-tiers");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TopicLayout("acme", 1, List.of(Duration.ofMinutes(1), Duration.ofSeconds(1))))
			.withMessageContaining("shortest first");
		assertThatIllegalArgumentException().isThrownBy(() -> new TopicLayout("acme", 1, List.of()));
	}

	@Test
	void defaultPrefixIsEvents() {
		assertThat(TopicLayout.defaults().offload()).isEqualTo("events.offload");
	}

	@Test
	void blankPrefixIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TopicLayout(" ", 3));
	}

	@Test
	void retryLevelOutsideTheLayoutIsRejected() {
		TopicLayout layout = new TopicLayout("acme", 2);
		assertThatIllegalArgumentException().isThrownBy(() -> layout.retry(0));
		assertThatIllegalArgumentException().isThrownBy(() -> layout.retry(3)).withMessageContaining("[1, 2]");
	}

}
