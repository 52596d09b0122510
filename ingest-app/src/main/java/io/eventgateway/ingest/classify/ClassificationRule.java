package io.eventgateway.ingest.classify;

import io.eventgateway.common.event.Priority;

/**
 * Assigns a priority to events whose type and source match. Every matcher that is set
 * must match; a matcher left empty matches anything, but at least one must be set.
 *
 * @param name identifies the rule in logs and tags
 * @param eventType the exact event type
 * @param eventTypePrefix a prefix of the event type
 * @param source the exact source
 * @param sourcePrefix a prefix of the source
 * @param priority the priority of matching events
 */
public record ClassificationRule(String name, String eventType, String eventTypePrefix, String source,
		String sourcePrefix, Priority priority) {

	public ClassificationRule {
		if (priority == null) {
			throw new IllegalArgumentException("classification rule '" + name + "' needs a priority");
		}
		if (isEmpty(eventType) && isEmpty(eventTypePrefix) && isEmpty(source) && isEmpty(sourcePrefix)) {
			throw new IllegalArgumentException("classification rule '" + name
					+ "' needs at least one of event-type, event-type-prefix, source, source-prefix");
		}
	}

	/** Whether an event of this type from this source matches. */
	public boolean matches(String type, String from) {
		return (isEmpty(this.eventType) || this.eventType.equals(type))
				&& (isEmpty(this.eventTypePrefix) || type.startsWith(this.eventTypePrefix))
				&& (isEmpty(this.source) || this.source.equals(from))
				&& (isEmpty(this.sourcePrefix) || from.startsWith(this.sourcePrefix));
	}

	private static boolean isEmpty(String value) {
		return value == null || value.isEmpty();
	}

}
