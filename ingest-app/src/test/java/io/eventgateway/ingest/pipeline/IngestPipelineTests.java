package io.eventgateway.ingest.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
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
 * slow lanes (P10 and offload) as a long linger would.
 */
class IngestPipelineTests {

	private final HoldingPublisher publisher = startPublisher();

	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

	private final IngestPipeline pipeline = TestPipelines
		.publishingTo(this.publisher.client(Duration.ofSeconds(10), 1024 * 1024), this.timer);

	@AfterEach
	void stop() {
		this.publisher.close();
		this.timer.shutdownNow();
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
			.publishingTo(this.publisher.client(Duration.ofSeconds(10), 1024 * 1024, inFlight), this.timer);
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
			.publishingTo(this.publisher.client(Duration.ofMillis(500), 1024 * 1024, inFlight), this.timer);
		this.publisher.holdSlowLanes();

		List<EventOutcome> outcomes = impatient.ingest("bulk", List.of(candidate(0, "bulk-1", "report.built"))).join();

		assertThat(outcomes).extracting(EventOutcome::status).containsExactly(EventOutcome.Status.FAILED);
		assertThat(inFlight.inFlight()).isZero();
	}

	@Test
	void invalidAndDelayedEventsHoldNoRoom() {
		InFlightEvents inFlight = new InFlightEvents(10);
		IngestPipeline bounded = TestPipelines
			.publishingTo(this.publisher.client(Duration.ofSeconds(10), 1024 * 1024, inFlight), this.timer);
		Candidate delayed = Candidate.valid(1, new RawEvent("later-1", "c1", "report.built", "shop",
				"{}".getBytes(StandardCharsets.UTF_8), Instant.now().plusSeconds(20)));

		CompletableFuture<List<EventOutcome>> outcomes = bounded.ingest("r1",
				List.of(Candidate.invalid(0, List.of(FieldError.ofEvent(0, "event_type", "required"))), delayed));

		assertThat(outcomes).isNotDone();
		assertThat(inFlight.inFlight()).isZero();
		assertThat(this.publisher.calls()).isEmpty();
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
