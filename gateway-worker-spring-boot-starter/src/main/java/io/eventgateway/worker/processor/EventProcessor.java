package io.eventgateway.worker.processor;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.proto.v1.Event;

/**
 * The work a worker does with each event: the extension point of the gateway. An
 * application with the worker starter becomes a worker by declaring one bean of this type
 * (a lambda over {@link #process}); {@code worker-app}'s default logs and counts. Bulk
 * work overrides {@link #processBatch} as well.
 *
 * <p>
 * Delivery is at least once: an event may arrive again after a crash or an expired lease,
 * so implementations deduplicate on {@link Event#getEventId()} where doing the work twice
 * matters. Implementations must be thread-safe when the worker runs more than one fetch
 * loop.
 */
@FunctionalInterface
public interface EventProcessor {

	/**
	 * Processes one event. Returning normally ACKs it; throwing NACKs it, with the
	 * exception's message as the reason, and the gateway retries it.
	 * @param event the event
	 * @throws Exception when processing failed
	 */
	void process(Event event) throws Exception;

	/**
	 * Processes the events of one lease in the order leased (highest priority first,
	 * earliest deadline first within a priority), and returns one outcome per event in
	 * the same order. By default it calls {@link #process} for each event; override it
	 * for bulk work (one database round trip per batch, say).
	 * @param events the leased events
	 * @return the outcome of each event
	 */
	default List<ProcessingOutcome> processBatch(List<Event> events) {
		List<ProcessingOutcome> outcomes = new ArrayList<>(events.size());
		for (Event event : events) {
			try {
				process(event);
				outcomes.add(ProcessingOutcome.ack());
			}
			catch (Exception ex) {
				outcomes.add(ProcessingOutcome.nack(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
			}
		}
		return outcomes;
	}

}
