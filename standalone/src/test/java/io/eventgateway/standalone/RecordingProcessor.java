package io.eventgateway.standalone;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;

/**
 * An {@link EventProcessor} that ACKs everything and remembers what it saw, batch by
 * batch.
 */
class RecordingProcessor implements EventProcessor {

	private final List<List<Event>> batches = new CopyOnWriteArrayList<>();

	private final Set<String> processedIds = ConcurrentHashMap.newKeySet();

	@Override
	public void process(Event event) {
		this.processedIds.add(event.getEventId());
	}

	@Override
	public List<ProcessingOutcome> processBatch(List<Event> events) {
		this.batches.add(List.copyOf(events));
		return EventProcessor.super.processBatch(events);
	}

	List<List<Event>> batches() {
		return this.batches;
	}

	Set<String> processedIds() {
		return this.processedIds;
	}

}
