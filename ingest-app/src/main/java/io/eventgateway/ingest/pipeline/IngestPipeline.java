package io.eventgateway.ingest.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.ingest.classify.StaticClassifier;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.EventOutcome;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.RawEvent;
import io.eventgateway.ingest.publish.PublisherClient;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PublishResult;

/**
 * Ingest's pipeline for one batch: validate, classify, stamp, publish. An event counts as
 * accepted only once the publisher confirmed the write; invalid events are reported
 * without holding up the valid ones.
 *
 * <p>
 * Thread-safe: called concurrently by HTTP and gRPC request threads.
 */
public class IngestPipeline {

	private static final byte[] EMPTY_PAYLOAD = new byte[0];

	private final EventRules rules;

	private final StaticClassifier classifier;

	private final PublisherClient publisher;

	private final Clock clock;

	public IngestPipeline(EventRules rules, StaticClassifier classifier, PublisherClient publisher, Clock clock) {
		this.rules = rules;
		this.classifier = classifier;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * Ingests a decoded batch and returns one outcome per candidate, in request order.
	 */
	public List<EventOutcome> ingest(String requestId, List<Candidate> candidates) {
		EventOutcome[] outcomes = new EventOutcome[candidates.size()];
		List<Integer> slots = new ArrayList<>(candidates.size());
		List<Event> events = new ArrayList<>(candidates.size());
		Instant now = this.clock.instant();
		Timestamp ingestedAt = ProtoTime.timestamp(now);
		for (int slot = 0; slot < candidates.size(); slot++) {
			Candidate candidate = candidates.get(slot);
			List<FieldError> errors = candidate.isValid() ? this.rules.check(candidate.index(), candidate.event())
					: candidate.errors();
			if (errors.isEmpty()) {
				slots.add(slot);
				events.add(stamp(requestId, candidate.event(), now, ingestedAt));
			}
			else {
				outcomes[slot] = EventOutcome.invalid(candidate.index(),
						candidate.isValid() ? candidate.event().eventId() : null, errors);
			}
		}
		if (!events.isEmpty()) {
			List<PublishResult> results = this.publisher.publish(events);
			for (int i = 0; i < events.size(); i++) {
				int slot = slots.get(i);
				int index = candidates.get(slot).index();
				Event event = events.get(i);
				PublishResult result = results.get(i);
				outcomes[slot] = (result.getOutcome() == PublishResult.Outcome.ACCEPTED)
						? EventOutcome.accepted(index, event.getEventId(), Priority.fromProto(event.getPriorityLevel()))
						: EventOutcome.failed(index, event.getEventId(), result.getError());
			}
		}
		return Arrays.asList(outcomes);
	}

	private Event stamp(String requestId, RawEvent raw, Instant now, Timestamp ingestedAt) {
		Priority priority = this.classifier.classify(raw.eventType(), raw.source());
		return Event.newBuilder()
			.setEventId((raw.eventId() != null) ? raw.eventId() : UUID.randomUUID().toString())
			.setCompanyId(raw.companyId())
			.setSourceName(raw.source())
			.setEventType(raw.eventType())
			.setIngestedAt(ingestedAt)
			.setSloDeadline(ProtoTime.timestamp(priority.deadlineFor(now)))
			.setPriorityLevel(priority.toProto())
			.setRawPayload(ByteString.copyFrom((raw.payload() != null) ? raw.payload() : EMPTY_PAYLOAD))
			.setRequestId(requestId)
			.build();
	}

}
