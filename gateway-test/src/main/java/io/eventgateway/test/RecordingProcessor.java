package io.eventgateway.test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;

/**
 * The kit worker's processor: hands each batch to the test's processor (or ACKs it) and
 * remembers the id of every event that came back ACKed, for
 * {@link TestGateway#awaitProcessed}.
 *
 * <p>
 * Thread-safe: the worker's fetch loops call it concurrently.
 */
public final class RecordingProcessor implements EventProcessor {

	private final @Nullable EventProcessor delegate;

	private final Set<String> processedIds = ConcurrentHashMap.newKeySet();

	/**
	 * @param delegate the test's processor, or {@code null} to ACK every event
	 */
	public RecordingProcessor(@Nullable EventProcessor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void process(Event event) throws Exception {
		if (this.delegate != null) {
			this.delegate.process(event);
		}
		this.processedIds.add(event.getEventId());
	}

	@Override
	public List<ProcessingOutcome> processBatch(List<Event> events) {
		if (this.delegate == null) {
			return EventProcessor.super.processBatch(events);
		}
		// The delegate may override processBatch for bulk work: record what it ACKed.
		List<ProcessingOutcome> outcomes = this.delegate.processBatch(events);
		for (int i = 0; i < Math.min(events.size(), outcomes.size()); i++) {
			if (outcomes.get(i).success()) {
				this.processedIds.add(events.get(i).getEventId());
			}
		}
		return outcomes;
	}

	/** The ids of every event processed with an ACK so far (a live view). */
	public Set<String> processedIds() {
		return this.processedIds;
	}

}
