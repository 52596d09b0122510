package io.eventgateway.ingest.classify;

import io.eventgateway.common.event.Priority;

/**
 * What the dynamic classifier decided for one event.
 *
 * @param priority the priority the event is published with
 * @param demotedFrom the priority it had before its company's quota demoted it, or
 * {@code null}
 * @param offload whether it goes to the offload topic instead of its priority topic
 */
public record Admission(Priority priority, Priority demotedFrom, boolean offload) {

	/** Whether quotas changed the event's priority. */
	public boolean demoted() {
		return this.demotedFrom != null;
	}

}
