package io.eventgateway.ingest.classify;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StaticClassifierTests {

	private final StaticClassifier classifier = new StaticClassifier(
			List.of(new ClassificationRule("exact", "order.placed", null, null, null, Priority.P30),
					new ClassificationRule("prefix", null, "order.", null, null, Priority.P20),
					new ClassificationRule("source", null, null, "billing", null, Priority.P30),
					new ClassificationRule("both", null, "sync.", null, "crm-", Priority.P20)),
			Priority.P10);

	@Test
	void exactEventTypeMatches() {
		assertThat(this.classifier.classify("order.placed", "shop")).isEqualTo(Priority.P30);
	}

	@Test
	void firstMatchingRuleWins() {
		// "order.placed" matches both "exact" and "prefix"; "exact" comes first.
		assertThat(this.classifier.classify("order.placed", "shop")).isEqualTo(Priority.P30);
		assertThat(this.classifier.classify("order.cancelled", "shop")).isEqualTo(Priority.P20);
	}

	@Test
	void exactSourceMatches() {
		assertThat(this.classifier.classify("invoice.sent", "billing")).isEqualTo(Priority.P30);
		assertThat(this.classifier.classify("invoice.sent", "billing-eu")).isEqualTo(Priority.P10);
	}

	@Test
	void everyMatcherOfARuleMustMatch() {
		assertThat(this.classifier.classify("sync.contacts", "crm-eu")).isEqualTo(Priority.P20);
		assertThat(this.classifier.classify("sync.contacts", "erp")).isEqualTo(Priority.P10);
	}

	@Test
	void unmatchedEventsGetTheDefault() {
		assertThat(this.classifier.classify("page.viewed", "web")).isEqualTo(Priority.P10);
	}

	@Test
	void ruleWithoutMatchersIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClassificationRule("empty", null, "", null, null, Priority.P30))
			.withMessageContaining("needs at least one of");
	}

	@Test
	void ruleWithoutPriorityIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClassificationRule("nopriority", "x", null, null, null, null))
			.withMessageContaining("needs a priority");
	}

}
