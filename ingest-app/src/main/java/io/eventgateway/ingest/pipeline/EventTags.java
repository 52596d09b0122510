package io.eventgateway.ingest.pipeline;

import java.time.Instant;

import io.eventgateway.common.event.Priority;
import io.eventgateway.ingest.classify.Admission;
import io.eventgateway.ingest.classify.Classification;
import io.eventgateway.proto.v1.Event;

/**
 * The tags that say why an event has its priority and route (see {@code Event.tags}).
 */
final class EventTags {

	static final String RULE = "rule";

	static final String PURPOSE = "purpose";

	static final String REALTIME = "realtime";

	static final String DEMOTED = "demoted";

	static final String ADMISSION = "admission";

	static final String DELAYED_UNTIL = "delayed-until";

	private EventTags() {
	}

	/**
	 * Tags an event.
	 * @param delayedUntil when a delayed event is due, or {@code null} when it is not
	 * delayed
	 */
	static void apply(Event.Builder event, Classification classification, Admission admission, Instant delayedUntil) {
		if (classification.rule() != null) {
			event.putTags(RULE, classification.rule());
		}
		if (classification.purpose() != null && !classification.purpose().isEmpty()) {
			event.putTags(PURPOSE, classification.purpose());
		}
		if (admission.priority() == Priority.P30) {
			event.putTags(REALTIME, "true");
		}
		if (admission.demoted()) {
			event.putTags(DEMOTED, admission.demotedFrom().name());
		}
		if (admission.offload()) {
			event.putTags(ADMISSION, "offload");
		}
		if (delayedUntil != null) {
			event.putTags(DELAYED_UNTIL, delayedUntil.toString());
		}
	}

}
