package io.eventgateway.ingest.publish;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

/**
 * The publisher's producer an event goes through: one per priority, plus offload. Each
 * has its own linger, so events of different lanes go in different publish calls: a call
 * is answered when its slowest event is written, and a P30 event must not wait for the
 * P10 or offload linger.
 */
public enum PublishLane {

	/** Real-time events. */
	P30,

	/** Interactive events. */
	P20,

	/** Bulk events within the admission rate. */
	P10,

	/** P10 events over the admission rate. */
	OFFLOAD;

	/** The lane of a stamped event. */
	public static PublishLane of(Event event) {
		if (event.getOffload()) {
			return OFFLOAD;
		}
		PriorityLevel level = event.getPriorityLevel();
		if (level == PriorityLevel.P30) {
			return P30;
		}
		return (level == PriorityLevel.P20) ? P20 : P10;
	}

}
