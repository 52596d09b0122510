package io.eventgateway.ingest.classify;

import java.time.Duration;

import io.eventgateway.common.event.Priority;

/**
 * Assigns a priority to events whose type and source match. Every matcher that is set
 * must match; a matcher left empty matches anything, but at least one must be set.
 *
 * @param name identifies the rule in logs and in the event's {@code rule} tag
 * @param eventType the exact event type
 * @param eventTypePrefix a prefix of the event type
 * @param source the exact source
 * @param sourcePrefix a prefix of the source
 * @param priority the priority of matching events
 * @param purpose optional; copied to the event's {@code purpose} tag
 * @param delay optional; how long after acceptance matching events are due: they are
 * stored at once and handed to workers no sooner (at most
 * {@code gateway.ingest.delay.max})
 */
public record ClassificationRule(String name, String eventType, String eventTypePrefix, String source,
		String sourcePrefix, Priority priority, String purpose, Duration delay) {

	public ClassificationRule {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("every classification rule needs a name");
		}
		if (priority == null) {
			throw new IllegalArgumentException("classification rule '" + name + "' needs a priority");
		}
		if (isEmpty(eventType) && isEmpty(eventTypePrefix) && isEmpty(source) && isEmpty(sourcePrefix)) {
			throw new IllegalArgumentException("classification rule '" + name
					+ "' needs at least one of event-type, event-type-prefix, source, source-prefix");
		}
		if (delay != null && delay.isNegative()) {
			throw new IllegalArgumentException("classification rule '" + name + "' has a negative delay " + delay);
		}
	}

	/** A rule matching on event type and source only. */
	public static ClassificationRule of(String name, String eventType, String eventTypePrefix, String source,
			String sourcePrefix, Priority priority) {
		return new ClassificationRule(name, eventType, eventTypePrefix, source, sourcePrefix, priority, null, null);
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
