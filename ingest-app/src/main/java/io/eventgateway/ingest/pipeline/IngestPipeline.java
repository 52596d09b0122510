package io.eventgateway.ingest.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.ingest.classify.Admission;
import io.eventgateway.ingest.classify.Classification;
import io.eventgateway.ingest.classify.DynamicClassifier;
import io.eventgateway.ingest.classify.StaticClassifier;
import io.eventgateway.ingest.delay.DelayCap;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.EventOutcome;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.RawEvent;
import io.eventgateway.ingest.publish.InFlightEvents;
import io.eventgateway.ingest.publish.PublisherBusyException;
import io.eventgateway.ingest.publish.PublisherClient;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PublishResult;

/**
 * Ingest's pipeline for one batch: validate, classify (static rules, then quotas and
 * capacity), stamp, publish. An event counts as accepted only once the publisher
 * confirmed the write; invalid events are reported without holding up the valid ones. A
 * delayed event (its rule's delay or its {@code not_before}) is stamped and published at
 * once like any other, its due time in {@code not_before}: it waits on the delay topics,
 * never in ingest nor in the client's request.
 *
 * <p>
 * Thread-safe: called concurrently by HTTP and gRPC request threads, none of which waits
 * for the publisher. Each event's outcome is written once, by whichever thread completes
 * its publish call; the batch's result is read only after all of them completed.
 */
public class IngestPipeline {

	private static final byte[] EMPTY_PAYLOAD = new byte[0];

	private final EventRules rules;

	private final Supplier<StaticClassifier> classifier;

	private final DynamicClassifier admission;

	private final DelayCap delayCap;

	private final PublisherClient publisher;

	private final Clock clock;

	private final EventTracing tracing;

	/**
	 * @param rules the field rules
	 * @param classifier the static classifier in force (it changes with the settings)
	 * @param admission quotas and capacity
	 * @param delayCap when delayed events are due
	 * @param publisher stores events
	 * @param clock the time
	 */
	public IngestPipeline(EventRules rules, Supplier<StaticClassifier> classifier, DynamicClassifier admission,
			DelayCap delayCap, PublisherClient publisher, Clock clock) {
		this(rules, classifier, admission, delayCap, publisher, clock, EventTracing.OFF);
	}

	/**
	 * @param rules the field rules
	 * @param classifier the static classifier in force (it changes with the settings)
	 * @param admission quotas and capacity
	 * @param delayCap when delayed events are due
	 * @param publisher stores events
	 * @param clock the time
	 * @param tracing stamps each event with the trace of the request that carried it
	 */
	public IngestPipeline(EventRules rules, Supplier<StaticClassifier> classifier, DynamicClassifier admission,
			DelayCap delayCap, PublisherClient publisher, Clock clock, EventTracing tracing) {
		this.tracing = tracing;
		this.rules = rules;
		this.classifier = classifier;
		this.admission = admission;
		this.delayCap = delayCap;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * Ingests a decoded batch without waiting for the publisher. The result holds one
	 * outcome per candidate, in request order; it completes when the publisher answered
	 * for every lane the batch's events go to, usually on a gRPC client thread, and never
	 * completes exceptionally. A delayed event is answered as soon as it is stored, not
	 * when it is due.
	 * @throws PublisherBusyException when the batch would be over the limit of events in
	 * flight to the publisher; nothing of it was published, nor counted against quotas
	 */
	public CompletableFuture<List<EventOutcome>> ingest(String requestId, List<Candidate> candidates) {
		// Room is taken for the whole batch before anything is decided or published, so a
		// refusal costs the batch nothing; invalid events, never published, give theirs
		// back below.
		InFlightEvents inFlight = this.publisher.inFlight();
		if (!inFlight.tryAcquire(candidates.size())) {
			throw new PublisherBusyException(inFlight.limit());
		}
		Instant now = this.clock.instant();
		List<Admitted> admitted;
		EventOutcome[] outcomes = new EventOutcome[candidates.size()];
		try {
			admitted = classify(candidates, outcomes, now);
		}
		catch (RuntimeException ex) {
			inFlight.release(candidates.size());
			throw ex;
		}
		inFlight.release(candidates.size() - admitted.size());
		if (admitted.isEmpty()) {
			return CompletableFuture.completedFuture(Arrays.asList(outcomes));
		}
		// Stamps and sends on the request thread, where the request's span is current,
		// but does not wait: the publisher's answers complete the result on a gRPC client
		// thread. The room is given back however the call ends: answered, failed or past
		// the publisher's deadline.
		String traceParent = this.tracing.currentTraceParent();
		CompletableFuture<Void> published;
		try {
			published = publish(requestId, traceParent, admitted, outcomes, now);
		}
		catch (RuntimeException ex) {
			published = CompletableFuture.failedFuture(ex);
		}
		return published.exceptionally((failure) -> fail(admitted, outcomes, failure))
			.whenComplete((done, failure) -> inFlight.release(admitted.size()))
			.thenApply((done) -> Arrays.asList(outcomes));
	}

	/**
	 * Validates and classifies the candidates: invalid ones get their outcome at once;
	 * the valid ones are returned in request order, each with its due time.
	 */
	private List<Admitted> classify(List<Candidate> candidates, EventOutcome[] outcomes, Instant now) {
		StaticClassifier classifier = this.classifier.get();
		List<Admitted> admitted = new ArrayList<>(candidates.size());
		for (int slot = 0; slot < candidates.size(); slot++) {
			Candidate candidate = candidates.get(slot);
			List<FieldError> errors = candidate.isValid() ? this.rules.check(candidate.index(), candidate.event())
					: candidate.errors();
			if (!errors.isEmpty()) {
				outcomes[slot] = EventOutcome.invalid(candidate.index(),
						candidate.isValid() ? candidate.event().eventId() : null, errors);
				continue;
			}
			RawEvent raw = candidate.event();
			Classification classification = classifier.classify(raw.eventType(), raw.source());
			Admission admission = this.admission.admit(raw.companyId(), classification.priority());
			Instant due = this.delayCap.dueAt(now, classification.delay(), raw.notBefore());
			admitted.add(new Admitted(slot, candidate.index(), raw, classification, admission, due));
		}
		return admitted;
	}

	private CompletableFuture<Void> publish(String requestId, String traceParent, List<Admitted> admitted,
			EventOutcome[] outcomes, Instant now) {
		Timestamp ingestedAt = ProtoTime.timestamp(now);
		List<Event> events = new ArrayList<>(admitted.size());
		for (Admitted event : admitted) {
			events.add(stamp(requestId, traceParent, event, now, ingestedAt));
		}
		return this.publisher.publish(events).thenAccept((results) -> {
			for (int i = 0; i < admitted.size(); i++) {
				Admitted event = admitted.get(i);
				Event stamped = events.get(i);
				PublishResult result = results.get(i);
				outcomes[event.slot()] = (result.getOutcome() == PublishResult.Outcome.ACCEPTED)
						? EventOutcome.accepted(event.index(), stamped.getEventId(),
								Priority.fromProto(stamped.getPriorityLevel()))
						: EventOutcome.failed(event.index(), stamped.getEventId(), result.getError());
			}
		});
	}

	private static Void fail(List<Admitted> group, EventOutcome[] outcomes, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		for (Admitted admitted : group) {
			outcomes[admitted.slot()] = EventOutcome.failed(admitted.index(), admitted.raw().eventId(),
					"not stored: " + cause.getMessage());
		}
		return null;
	}

	private Event stamp(String requestId, String traceParent, Admitted admitted, Instant now, Timestamp ingestedAt) {
		RawEvent raw = admitted.raw();
		Priority priority = admitted.admission().priority();
		boolean delayed = admitted.due().isAfter(now);
		Event.Builder event = Event.newBuilder()
			.setEventId((raw.eventId() != null) ? raw.eventId() : UUID.randomUUID().toString())
			.setCompanyId(raw.companyId())
			.setSourceName(raw.source())
			.setEventType(raw.eventType())
			.setIngestedAt(ingestedAt)
			// A delayed event's SLO counts from when it is due: it may not be handed to a
			// worker before, so its deadline cannot come sooner.
			.setSloDeadline(ProtoTime.timestamp(priority.deadlineFor(admitted.due())))
			.setPriorityLevel(priority.toProto())
			.setOffload(admitted.admission().offload())
			// The payload array was decoded for this request and nothing writes to it
			// afterwards: wrapping it saves a copy of every payload.
			.setRawPayload(UnsafeByteOperations.unsafeWrap((raw.payload() != null) ? raw.payload() : EMPTY_PAYLOAD))
			.setRequestId(requestId)
			.setTraceParent(traceParent);
		if (delayed) {
			event.setNotBefore(ProtoTime.timestamp(admitted.due()));
		}
		EventTags.apply(event, admitted.classification(), admitted.admission(), delayed ? admitted.due() : null);
		return event.build();
	}

	/** A valid event with its decisions; due now unless it is delayed. */
	private record Admitted(int slot, int index, RawEvent raw, Classification classification, Admission admission,
			Instant due) {
	}

}
