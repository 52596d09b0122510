package io.eventgateway.examples.worker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of the orders this worker processed; a real application would write to its own
 * store instead. Processing is at least once, so an id may come twice: a set keeps one.
 */
public class ProcessedOrders {

	private final Set<String> ids = ConcurrentHashMap.newKeySet();

	void record(String eventId) {
		this.ids.add(eventId);
	}

	public Set<String> ids() {
		return Set.copyOf(this.ids);
	}

}
