package io.eventgateway.ingest.classify;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StaticClassifierTests {

	private final StaticClassifier classifier = new StaticClassifier(List.of(
			new ClassificationRule("exact", "order.placed", null, null, null, Priority.P30, "triggers",
					Duration.ofSeconds(3)),
			ClassificationRule.of("prefix", null, "order.", null, null, Priority.P20),
			ClassificationRule.of("source", null, null, "billing", null, Priority.P30),
			ClassificationRule.of("both", null, "sync.", null, "crm-", Priority.P20)), Priority.P10);

	@Test
	void exactEventTypeMatches() {
		assertThat(this.classifier.classify("order.placed", "shop").priority()).isEqualTo(Priority.P30);
	}

	@Test
	void firstMatchingRuleWins() {
		// "order.placed" matches both "exact" and "prefix"; "exact" comes first.
		assertThat(this.classifier.classify("order.placed", "shop").priority()).isEqualTo(Priority.P30);
		assertThat(this.classifier.classify("order.cancelled", "shop").priority()).isEqualTo(Priority.P20);
	}

	@Test
	void exactSourceMatches() {
		assertThat(this.classifier.classify("invoice.sent", "billing").priority()).isEqualTo(Priority.P30);
		assertThat(this.classifier.classify("invoice.sent", "billing-eu").priority()).isEqualTo(Priority.P10);
	}

	@Test
	void everyMatcherOfARuleMustMatch() {
		assertThat(this.classifier.classify("sync.contacts", "crm-eu").priority()).isEqualTo(Priority.P20);
		assertThat(this.classifier.classify("sync.contacts", "erp").priority()).isEqualTo(Priority.P10);
	}

	@Test
	void unmatchedEventsGetTheDefault() {
		assertThat(this.classifier.classify("page.viewed", "web").priority()).isEqualTo(Priority.P10);
	}

	@Test
	void matchingRuleNamesItselfAndCarriesPurposeAndDelay() {
		assertThat(this.classifier.classify("order.placed", "shop"))
			.isEqualTo(new Classification(Priority.P30, "exact", "triggers", Duration.ofSeconds(3)));
		assertThat(this.classifier.classify("order.cancelled", "shop"))
			.isEqualTo(new Classification(Priority.P20, "prefix", null, Duration.ZERO));
		assertThat(this.classifier.classify("page.viewed", "web"))
			.isEqualTo(new Classification(Priority.P10, null, null, Duration.ZERO));
	}

	@Test
	void ruleWithNegativeDelayIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ClassificationRule("late", "x", null, null, null, Priority.P10, null, Duration.ofSeconds(-1)))
			.withMessageContaining("negative delay");
	}

	@Test
	void ruleWithoutMatchersIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClassificationRule.of("empty", null, "", null, null, Priority.P30))
			.withMessageContaining("needs at least one of");
	}

	@Test
	void ruleWithoutPriorityIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClassificationRule.of("nopriority", "x", null, null, null, null))
			.withMessageContaining("needs a priority");
	}

}
