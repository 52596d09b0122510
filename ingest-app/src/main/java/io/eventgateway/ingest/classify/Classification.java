package io.eventgateway.ingest.classify;

import java.time.Duration;

import io.eventgateway.common.event.Priority;

/**
 * What the static classifier decided for one event.
 *
 * @param priority the priority before quotas and admission
 * @param rule the name of the matching rule, or {@code null} for the default
 * @param purpose the rule's purpose, or {@code null}
 * @param delay how long the rule asks the event to wait on the delay topics; zero for
 * none
 */
public record Classification(Priority priority, String rule, String purpose, Duration delay) {

	static Classification byDefault(Priority priority) {
		return new Classification(priority, null, null, Duration.ZERO);
	}

	static Classification by(ClassificationRule rule) {
		return new Classification(rule.priority(), rule.name(), rule.purpose(),
				(rule.delay() != null) ? rule.delay() : Duration.ZERO);
	}

}
