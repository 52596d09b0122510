package io.eventgateway.common.kafka;

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
		assertThat(layout.all()).hasSize(9).allMatch((name) -> name.startsWith("acme."));
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
