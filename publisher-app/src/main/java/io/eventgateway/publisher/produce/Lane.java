package io.eventgateway.publisher.produce;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.proto.v1.Event;

/**
 * The topic an event is written to, and so the producer that writes it: one per priority,
 * plus offload.
 */
public enum Lane {

	/** Real-time events. */
	P30,

	/** Interactive events. */
	P20,

	/** Bulk events. */
	P10,

	/** P10 events over the admission rate, drained when the orchestrator has room. */
	OFFLOAD;

	/** The lane of an event. */
	public static Lane of(Event event) {
		if (event.getOffload()) {
			return OFFLOAD;
		}
		return switch (Priority.fromProto(event.getPriorityLevel())) {
			case P30 -> P30;
			case P20 -> P20;
			case P10 -> P10;
		};
	}

	/** The topic of this lane. */
	public String topic(TopicLayout topics) {
		return switch (this) {
			case P30 -> topics.priority(Priority.P30);
			case P20 -> topics.priority(Priority.P20);
			case P10 -> topics.priority(Priority.P10);
			case OFFLOAD -> topics.offload();
		};
	}

}
