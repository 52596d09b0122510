package io.eventgateway.ingest.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.EventOutcome;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.RawEvent;
import io.eventgateway.ingest.publish.InFlightEvents;
import io.eventgateway.ingest.publish.PublisherBusyException;
import io.eventgateway.ingest.publish.PublisherClient;
import io.eventgateway.ingest.schedule.HandOffScheduler;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PublishResult;

/**
 * Ingest's pipeline for one batch: validate, classify (static rules, then quotas and
 * capacity), schedule, stamp, publish. An event counts as accepted only once the
 * publisher confirmed the write; invalid events are reported without holding up the valid
 * ones, and a delayed event waits on the scheduler's timer, not on the request thread.
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

	private final HandOffScheduler scheduler;

	private final PublisherClient publisher;

	private final Clock clock;

	private final EventTracing tracing;

	/**
	 * @param rules the field rules
	 * @param classifier the static classifier in force (it changes with the settings)
	 * @param admission quotas and capacity
	 * @param scheduler holds delayed events
	 * @param publisher stores events
	 * @param clock the time
	 */
	public IngestPipeline(EventRules rules, Supplier<StaticClassifier> classifier, DynamicClassifier admission,
			HandOffScheduler scheduler, PublisherClient publisher, Clock clock) {
		this(rules, classifier, admission, scheduler, publisher, clock, EventTracing.OFF);
	}

	/**
	 * @param rules the field rules
	 * @param classifier the static classifier in force (it changes with the settings)
	 * @param admission quotas and capacity
	 * @param scheduler holds delayed events
	 * @param publisher stores events
	 * @param clock the time
	 * @param tracing stamps each event with the trace of the request that carried it
	 */
	public IngestPipeline(EventRules rules, Supplier<StaticClassifier> classifier, DynamicClassifier admission,
			HandOffScheduler scheduler, PublisherClient publisher, Clock clock, EventTracing tracing) {
		this.tracing = tracing;
		this.rules = rules;
		this.classifier = classifier;
		this.admission = admission;
		this.scheduler = scheduler;
		this.publisher = publisher;
		this.clock = clock;
	}

	/**
	 * Ingests a decoded batch without waiting for the publisher. The result holds one
	 * outcome per candidate, in request order; it completes when the publisher answered
	 * for every lane the batch's events go to (after the last delayed event was handed
	 * off), usually on a gRPC client thread, and never completes exceptionally.
	 * @throws PublisherBusyException when the batch would be over the limit of events in
	 * flight to the publisher; nothing of it was published, nor counted against quotas
	 */
	public CompletableFuture<List<EventOutcome>> ingest(String requestId, List<Candidate> candidates) {
		// Room is taken for the whole batch before anything is decided or published, so a
		// refusal costs the batch nothing; what is not published now is given back below.
		InFlightEvents inFlight = this.publisher.inFlight();
		if (!inFlight.tryAcquire(candidates.size())) {
			throw new PublisherBusyException(inFlight.limit());
		}
		Map<Instant, List<Admitted>> byHandOff;
		EventOutcome[] outcomes = new EventOutcome[candidates.size()];
		try {
			byHandOff = classify(candidates, outcomes);
		}
		catch (RuntimeException ex) {
			inFlight.release(candidates.size());
			throw ex;
		}
		// Delayed events do not hold room while they wait: the scheduler bounds them
		// (gateway.ingest.scheduler.max-pending). Invalid events are never published.
		int publishedNow = 0;
		for (List<Admitted> group : byHandOff.values()) {
			publishedNow += group.get(0).delayed() ? 0 : group.size();
		}
		inFlight.release(candidates.size() - publishedNow);
		// Read on the request thread, where the request's span is current: a delayed
		// event is published later from the scheduler's thread, and takes its trace
		// along.
		String traceParent = this.tracing.currentTraceParent();
		List<CompletableFuture<Void>> handOffs = new ArrayList<>(byHandOff.size());
		// A hand-off due now runs here, but only stamps and sends: the publisher's
		// answers complete the result on a gRPC client thread, so no request thread waits
		// on them. Its room is given back however it ends: answered, failed or past the
		// publisher's deadline.
		byHandOff.forEach((due, group) -> {
			CompletableFuture<Void> handOff = this.scheduler
				.handOffAt(due, group.size(), () -> publish(requestId, traceParent, group, outcomes))
				.thenCompose((published) -> published)
				.exceptionally((failure) -> fail(group, outcomes, failure));
			if (!group.get(0).delayed()) {
				handOff = handOff.whenComplete((done, failure) -> inFlight.release(group.size()));
			}
			handOffs.add(handOff);
		});
		return CompletableFuture.allOf(handOffs.toArray(CompletableFuture[]::new))
			.thenApply((done) -> Arrays.asList(outcomes));
	}

	/**
	 * Validates and classifies the candidates: invalid ones get their outcome at once,
	 * valid ones are grouped by hand-off time, earliest first.
	 */
	private Map<Instant, List<Admitted>> classify(List<Candidate> candidates, EventOutcome[] outcomes) {
		Instant now = this.clock.instant();
		StaticClassifier classifier = this.classifier.get();
		Map<Instant, List<Admitted>> byHandOff = new TreeMap<>();
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
			Admission admitted = this.admission.admit(raw.companyId(), classification.priority());
			Instant due = this.scheduler.dueAt(now, classification.delay(), raw.notBefore());
			byHandOff.computeIfAbsent(due, (key) -> new ArrayList<>())
				.add(new Admitted(slot, candidate.index(), raw, classification, admitted, due.isAfter(now)));
		}
		return byHandOff;
	}

	private CompletableFuture<Void> publish(String requestId, String traceParent, List<Admitted> group,
			EventOutcome[] outcomes) {
		Instant now = this.clock.instant();
		Timestamp ingestedAt = ProtoTime.timestamp(now);
		List<Event> events = new ArrayList<>(group.size());
		for (Admitted admitted : group) {
			events.add(stamp(requestId, traceParent, admitted, now, ingestedAt));
		}
		return this.publisher.publish(events).thenAccept((results) -> {
			for (int i = 0; i < group.size(); i++) {
				Admitted admitted = group.get(i);
				Event event = events.get(i);
				PublishResult result = results.get(i);
				outcomes[admitted.slot()] = (result.getOutcome() == PublishResult.Outcome.ACCEPTED)
						? EventOutcome.accepted(admitted.index(), event.getEventId(),
								Priority.fromProto(event.getPriorityLevel()))
						: EventOutcome.failed(admitted.index(), event.getEventId(), result.getError());
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
		Event.Builder event = Event.newBuilder()
			.setEventId((raw.eventId() != null) ? raw.eventId() : UUID.randomUUID().toString())
			.setCompanyId(raw.companyId())
			.setSourceName(raw.source())
			.setEventType(raw.eventType())
			.setIngestedAt(ingestedAt)
			.setSloDeadline(ProtoTime.timestamp(priority.deadlineFor(now)))
			.setPriorityLevel(priority.toProto())
			.setOffload(admitted.admission().offload())
			// The payload array was decoded for this request and nothing writes to it
			// afterwards: wrapping it saves a copy of every payload.
			.setRawPayload(UnsafeByteOperations.unsafeWrap((raw.payload() != null) ? raw.payload() : EMPTY_PAYLOAD))
			.setRequestId(requestId)
			.setTraceParent(traceParent);
		EventTags.apply(event, admitted.classification(), admitted.admission(), admitted.delayed() ? now : null);
		return event.build();
	}

	/** A valid event with its decisions, waiting for its hand-off. */
	private record Admitted(int slot, int index, RawEvent raw, Classification classification, Admission admission,
			boolean delayed) {
	}

}
