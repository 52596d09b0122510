package io.eventgateway.standalone;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;

/**
 * An {@link EventProcessor} that ACKs everything and remembers what it saw, batch by
 * batch, and when it first saw each event.
 */
class RecordingProcessor implements EventProcessor {

	private final List<List<Event>> batches = new CopyOnWriteArrayList<>();

	private final Set<String> processedIds = ConcurrentHashMap.newKeySet();

	private final Map<String, Instant> firstProcessedAt = new ConcurrentHashMap<>();

	@Override
	public void process(Event event) {
		this.firstProcessedAt.putIfAbsent(event.getEventId(), Instant.now());
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

	/** When the event was first processed, or {@code null} if it has not been. */
	Instant firstProcessedAt(String eventId) {
		return this.firstProcessedAt.get(eventId);
	}

}
