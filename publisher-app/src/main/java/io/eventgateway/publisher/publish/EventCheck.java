package io.eventgateway.publisher.publish;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

/**
 * The publisher's last check before Kafka: ingest stamps every event, so a failure here
 * means a client bypassed ingest or a bug upstream.
 */
final class EventCheck {

	private EventCheck() {
	}

	/** What is wrong with the event, or {@code null} when it can be published. */
	static String problemOf(Event event) {
		if (event.getEventId().isEmpty()) {
			return "event_id is required";
		}
		if (event.getCompanyId().isEmpty()) {
			return "company_id is required";
		}
		if (event.getPriorityLevel() != PriorityLevel.P30 && event.getPriorityLevel() != PriorityLevel.P20
				&& event.getPriorityLevel() != PriorityLevel.P10) {
			return "priority_level must be P30, P20 or P10";
		}
		if (!event.hasIngestedAt() || !event.hasSloDeadline()) {
			return "ingested_at and slo_deadline are required";
		}
		return null;
	}

}
