package io.eventgateway.ingest.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.EventOutcome;
import io.eventgateway.ingest.event.RawEvent;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.publish.HoldingPublisher;
import io.eventgateway.ingest.publish.InFlightEvents;
import io.eventgateway.ingest.publish.PublisherBusyException;
import io.eventgateway.proto.v1.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline in front of a real publisher peer over loopback gRPC that can hold the
 * slow lanes (P10 and offload) as a long linger would. Delayed events are published at
 * once, their due time in {@code not_before}.
 */
class IngestPipelineTests {

	private final HoldingPublisher publisher = startPublisher();

	private final IngestPipeline pipeline = TestPipelines
		.publishingTo(this.publisher.client(Duration.ofSeconds(10), 1024 * 1024));

	@AfterEach
	void stop() {
		this.publisher.close();
	}

	@Test
	void theCallerGetsItsResultBeforeThePublisherAnswers() {
		this.publisher.holdSlowLanes();

		CompletableFuture<List<EventOutcome>> outcomes = this.pipeline.ingest("r1",
				List.of(candidate(0, "bulk-1", "report.built")));

		await().until(() -> this.publisher.calls().size() == 1);
		assertThat(outcomes).isNotDone();
		this.publisher.releaseHeld();
		assertThat(outcomes.join()).extracting(EventOutcome::status).containsExactly(EventOutcome.Status.ACCEPTED);
	}

	@Test
	void aBatchOfUrgentEventsIsAnsweredWhileBulkEventsWaitForTheirLinger() {
		this.publisher.holdSlowLanes();
		CompletableFuture<List<EventOutcome>> bulk = this.pipeline.ingest("bulk",
				List.of(candidate(0, "bulk-1", "report.built")));

		List<EventOutcome> urgent = this.pipeline.ingest("urgent", List.of(candidate(0, "urgent-1", "trigger.fired")))
			.join();

		assertThat(urgent).extracting(EventOutcome::priority).containsExactly(Priority.P30);
		assertThat(bulk).isNotDone();
		this.publisher.releaseHeld();
		assertThat(bulk.join()).extracting(EventOutcome::priority).containsExactly(Priority.P10);
	}

	@Test
	void eachLaneOfABatchGoesInACallOfItsOwn() {
		// The admission rate lets one P10 event in; the next goes to the offload lane.
		List<EventOutcome> outcomes = this.pipeline
			.ingest("mixed", List.of(candidate(0, "bulk-1", "report.built"), candidate(1, "urgent-1", "trigger.fired"),
					candidate(2, "bulk-2", "report.built"), candidate(3, "urgent-2", "trigger.fired")))
			.join();

		assertThat(outcomes).extracting(EventOutcome::eventId)
			.containsExactly("bulk-1", "urgent-1", "bulk-2", "urgent-2");
		assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome.isAccepted()).isTrue());
		assertThat(this.publisher.calls()).extracting((call) -> call.stream().map(Event::getEventId).toList())
			.containsExactlyInAnyOrder(List.of("bulk-1"), List.of("urgent-1", "urgent-2"), List.of("bulk-2"));
		assertThat(this.publisher.calls()).flatExtracting((call) -> call)
			.filteredOn(Event::getOffload)
			.extracting(Event::getEventId)
			.containsExactly("bulk-2");
	}

	@Test
	void aBatchOverTheEventsInFlightIsRefusedWholeBeforeAnythingIsPublished() {
		InFlightEvents inFlight = new InFlightEvents(2);
		IngestPipeline bounded = TestPipelines
			.publishingTo(this.publisher.client(Duration.ofSeconds(10), 1024 * 1024, inFlight));
		this.publisher.holdSlowLanes();
		CompletableFuture<List<EventOutcome>> bulk = bounded.ingest("bulk",
				List.of(candidate(0, "bulk-1", "report.built"), candidate(1, "bulk-2", "report.built")));
		await().until(() -> this.publisher.calls().size() == 2);

		assertThatExceptionOfType(PublisherBusyException.class)
			.isThrownBy(() -> bounded.ingest("urgent", List.of(candidate(0, "urgent-1", "trigger.fired"))))
			.withMessageContaining("gateway.ingest.publisher.max-in-flight-events");

		assertThat(this.publisher.calls()).hasSize(2);
		assertThat(inFlight.refused()).isEqualTo(1);
		assertThat(inFlight.inFlight()).isEqualTo(2);
		this.publisher.releaseHeld();
		assertThat(bulk.join()).allSatisfy((outcome) -> assertThat(outcome.isAccepted()).isTrue());
		assertThat(inFlight.inFlight()).isZero();
		assertThat(bounded.ingest("urgent", List.of(candidate(0, "urgent-1", "trigger.fired"))).join())
			.extracting(EventOutcome::status)
			.containsExactly(EventOutcome.Status.ACCEPTED);
		assertThat(inFlight.inFlight()).isZero();
	}

	@Test
	void eventsWhosePublishCallFailsGiveTheirRoomBack() {
		InFlightEvents inFlight = new InFlightEvents(10);
		IngestPipeline impatient = TestPipelines
			.publishingTo(this.publisher.client(Duration.ofMillis(500), 1024 * 1024, inFlight));
		this.publisher.holdSlowLanes();

		List<EventOutcome> outcomes = impatient.ingest("bulk", List.of(candidate(0, "bulk-1", "report.built"))).join();

		assertThat(outcomes).extracting(EventOutcome::status).containsExactly(EventOutcome.Status.FAILED);
		assertThat(inFlight.inFlight()).isZero();
	}

	@Test
	void aDelayedEventIsStoredAndAnsweredAtOnceWithItsDueTimeInNotBefore() {
		// Far past the 30 s ingest once held delayed events for in its memory.
		Instant notBefore = Instant.now().plus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.MILLIS);
		Instant before = Instant.now();

		CompletableFuture<List<EventOutcome>> outcomes = this.pipeline.ingest("r1",
				List.of(delayed(0, "later-1", "report.built", notBefore)));

		// Answered when stored, not when due.
		await().atMost(Duration.ofSeconds(10)).until(outcomes::isDone);
		assertThat(outcomes.join()).extracting(EventOutcome::status).containsExactly(EventOutcome.Status.ACCEPTED);
		Event stored = single(this.publisher.calls());
		assertThat(ProtoTime.instant(stored.getNotBefore())).isEqualTo(notBefore);
		assertThat(ProtoTime.instant(stored.getSloDeadline())).isEqualTo(notBefore.plus(Priority.P10.slo()));
		assertThat(ProtoTime.instant(stored.getIngestedAt())).isBetween(before, Instant.now());
		assertThat(stored.getTagsMap()).containsEntry("delayed-until", notBefore.toString());
	}

	@Test
	void aRuleDelayCountsFromAcceptanceAndNoDelayIsLongerThanTheMaximum() {
		Instant now = Instant.now();

		List<EventOutcome> outcomes = this.pipeline.ingest("r1", List.of(candidate(0, "ruled-1", "later.report"),
				delayed(1, "capped-1", "trigger.fired", now.plus(Duration.ofDays(1)))))
			.join();

		assertThat(outcomes).extracting(EventOutcome::status)
			.containsExactly(EventOutcome.Status.ACCEPTED, EventOutcome.Status.ACCEPTED);
		List<Event> stored = this.publisher.calls().stream().flatMap(List::stream).toList();
		Event ruled = stored.stream().filter((event) -> event.getEventId().equals("ruled-1")).findFirst().orElseThrow();
		Instant ruledAt = ProtoTime.instant(ruled.getIngestedAt());
		assertThat(ProtoTime.instant(ruled.getNotBefore())).isEqualTo(ruledAt.plus(Duration.ofMinutes(10)));
		assertThat(ProtoTime.instant(ruled.getSloDeadline()))
			.isEqualTo(ruledAt.plus(Duration.ofMinutes(10)).plus(Priority.P10.slo()));
		Event capped = stored.stream()
			.filter((event) -> event.getEventId().equals("capped-1"))
			.findFirst()
			.orElseThrow();
		Instant cappedAt = ProtoTime.instant(capped.getIngestedAt());
		assertThat(ProtoTime.instant(capped.getNotBefore())).isEqualTo(cappedAt.plus(Duration.ofHours(1)));
		assertThat(ProtoTime.instant(capped.getSloDeadline()))
			.isEqualTo(cappedAt.plus(Duration.ofHours(1)).plus(Priority.P30.slo()));
		assertThat(capped.getTagsMap()).containsEntry("delayed-until", cappedAt.plus(Duration.ofHours(1)).toString());
	}

	@Test
	void anEventWhoseNotBeforeIsPastIsNotDelayed() {
		List<EventOutcome> outcomes = this.pipeline
			.ingest("r1", List.of(delayed(0, "late-1", "report.built", Instant.now().minusSeconds(60))))
			.join();

		assertThat(outcomes).extracting(EventOutcome::status).containsExactly(EventOutcome.Status.ACCEPTED);
		Event stored = single(this.publisher.calls());
		assertThat(stored.hasNotBefore()).isFalse();
		assertThat(stored.getTagsMap()).doesNotContainKey("delayed-until");
		assertThat(ProtoTime.instant(stored.getSloDeadline()))
			.isEqualTo(ProtoTime.instant(stored.getIngestedAt()).plus(Priority.P10.slo()));
	}

	@Test
	void delayedEventsGoThroughTheLaneOfTheirPriorityAndHoldRoomUntilAnswered() {
		InFlightEvents inFlight = new InFlightEvents(10);
		IngestPipeline bounded = TestPipelines
			.publishingTo(this.publisher.client(Duration.ofSeconds(10), 1024 * 1024, inFlight));
		this.publisher.holdSlowLanes();
		Instant later = Instant.now().plus(Duration.ofMinutes(5));

		CompletableFuture<List<EventOutcome>> bulk = bounded.ingest("bulk",
				List.of(Candidate.invalid(0, List.of(FieldError.ofEvent(0, "event_type", "required"))),
						delayed(1, "later-1", "report.built", later)));
		await().until(() -> this.publisher.calls().size() == 1);
		// The invalid event gave its room back; the delayed one holds it like any other.
		assertThat(inFlight.inFlight()).isEqualTo(1);
		List<EventOutcome> urgent = bounded.ingest("urgent", List.of(delayed(0, "later-2", "trigger.fired", later)))
			.join();

		assertThat(urgent).extracting(EventOutcome::priority).containsExactly(Priority.P30);
		assertThat(bulk).isNotDone();
		this.publisher.releaseHeld();
		assertThat(bulk.join()).extracting(EventOutcome::status)
			.containsExactly(EventOutcome.Status.INVALID, EventOutcome.Status.ACCEPTED);
		assertThat(inFlight.inFlight()).isZero();
	}

	private static Event single(List<List<Event>> calls) {
		assertThat(calls).hasSize(1);
		assertThat(calls.get(0)).hasSize(1);
		return calls.get(0).get(0);
	}

	private static Candidate delayed(int index, String id, String type, Instant notBefore) {
		return Candidate.valid(index,
				new RawEvent(id, "c1", type, "shop", "{}".getBytes(StandardCharsets.UTF_8), notBefore));
	}

	private static Candidate candidate(int index, String id, String type) {
		return Candidate.valid(index,
				new RawEvent(id, "c1", type, "shop", "{}".getBytes(StandardCharsets.UTF_8), null));
	}

	private static HoldingPublisher startPublisher() {
		try {
			return HoldingPublisher.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
