package io.eventgateway.ingest.classify;

import java.util.List;

import io.eventgateway.common.event.Priority;

/**
 * The first classification stage: a priority from the event's type and source alone, by
 * the first matching rule, or the default.
 *
 * <p>
 * Immutable and thread-safe; a settings change builds a new one.
 */
public class StaticClassifier {

	private final List<ClassificationRule> rules;

	private final Classification byDefault;

	public StaticClassifier(List<ClassificationRule> rules, Priority defaultPriority) {
		this.rules = List.copyOf(rules);
		this.byDefault = Classification.byDefault(defaultPriority);
	}

	/** The classification of an event of this type from this source. */
	public Classification classify(String eventType, String source) {
		for (ClassificationRule rule : this.rules) {
			if (rule.matches(eventType, source)) {
				return Classification.by(rule);
			}
		}
		return this.byDefault;
	}

}
