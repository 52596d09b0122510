package io.eventgateway.client;

import java.util.List;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.FieldError;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerReaderTests {

	@Test
	void perEventResultsBecomeAcceptedInvalidOrRetry() {
		IngestEventsResponse response = IngestEventsResponse.newBuilder()
			.addResults(IngestResult.newBuilder()
				.setIndex(0)
				.setEventId("a")
				.setStatus(IngestResult.Status.ACCEPTED)
				.setPriority(PriorityLevel.P30))
			.addResults(IngestResult.newBuilder()
				.setIndex(1)
				.setEventId("b")
				.setStatus(IngestResult.Status.REJECTED)
				.addErrors(FieldError.newBuilder().setField("events[1].source").setMessage("is required")))
			.addResults(IngestResult.newBuilder()
				.setIndex(2)
				.setEventId("c")
				.setStatus(IngestResult.Status.REJECTED)
				.addErrors(
						FieldError.newBuilder().setField("events[2]").setMessage("publisher unavailable: UNAVAILABLE")))
			.build();

		List<Verdict> verdicts = AnswerReader.ofResponse(response, 3);

		assertThat(verdicts).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.ACCEPTED, Verdict.Kind.INVALID, Verdict.Kind.RETRY);
		assertThat(verdicts.get(0).priority()).isEqualTo("P30");
		assertThat(verdicts.get(1).field()).isEqualTo("source");
		assertThat(verdicts.get(1).message()).isEqualTo("events[1].source: is required");
		assertThat(verdicts.get(2).message()).contains("publisher unavailable");
	}

	@Test
	void anEventMissingFromTheAnswerIsRetried() {
		IngestEventsResponse response = IngestEventsResponse.newBuilder()
			.addResults(IngestResult.newBuilder().setIndex(0).setStatus(IngestResult.Status.ACCEPTED))
			.build();
		assertThat(AnswerReader.ofResponse(response, 2)).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.ACCEPTED, Verdict.Kind.RETRY);
	}

	@Test
	void unavailableRetriesTheValidEventsAndKeepsTheInvalidOnes() {
		Status status = Status.UNAVAILABLE
			.withDescription("events[0].event_type: is required; events[1]: not stored: publisher down");
		List<Verdict> verdicts = AnswerReader.ofStatus(status, 3);
		assertThat(verdicts).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.INVALID, Verdict.Kind.RETRY, Verdict.Kind.RETRY);
		assertThat(verdicts.get(0).field()).isEqualTo("event_type");
		assertThat(verdicts.get(0).message()).isEqualTo("events[0].event_type: is required");
	}

	@Test
	void transportFailuresAreRetried() {
		assertThat(AnswerReader.ofStatus(Status.DEADLINE_EXCEEDED, 1)).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.RETRY);
		assertThat(AnswerReader.ofStatus(Status.UNAVAILABLE.withDescription("io exception"), 1))
			.extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.RETRY);
	}

	@Test
	void aBatchLevelInvalidArgumentFailsEveryEventSayingTheBatchWasRefused() {
		Status status = Status.INVALID_ARGUMENT
			.withDescription("events: has 1200 events, over the limit of 1000 per request");
		assertThat(AnswerReader.ofStatus(status, 2)).allSatisfy((verdict) -> {
			assertThat(verdict.kind()).isEqualTo(Verdict.Kind.FAILED);
			assertThat(verdict.field()).isNull();
			assertThat(verdict.message()).contains("refused the whole batch", "over the limit of 1000",
					"maxEventsPerBatch");
		});
	}

	@Test
	void anInvalidArgumentNamingEventsMakesThemInvalid() {
		Status status = Status.INVALID_ARGUMENT
			.withDescription("events[0].source: is required; events[1].event_type: is required");
		List<Verdict> verdicts = AnswerReader.ofStatus(status, 2);
		assertThat(verdicts).extracting(Verdict::kind).containsOnly(Verdict.Kind.INVALID);
		assertThat(verdicts).extracting(Verdict::field).containsExactly("source", "event_type");
	}

	@Test
	void aPermissionDeniedNamingAnEventRefusesItAndResendsTheOthers() {
		Status status = Status.PERMISSION_DENIED
			.withDescription("events[1].company_id: does not match the company of the API key");
		assertThat(AnswerReader.ofStatus(status, 3)).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.RESEND, Verdict.Kind.PERMISSION_DENIED, Verdict.Kind.RESEND);
		assertThat(AnswerReader.ofStatus(status, 3).get(1).message()).contains("events[1].company_id");
	}

	@Test
	void aPermissionDeniedNamingNoEventRefusesTheWholeBatch() {
		assertThat(AnswerReader.ofStatus(Status.PERMISSION_DENIED.withDescription("forbidden"), 2))
			.extracting(Verdict::kind)
			.containsOnly(Verdict.Kind.PERMISSION_DENIED);
	}

	@Test
	void refusedKeysAndCompaniesAreNotRetried() {
		assertThat(AnswerReader.ofStatus(Status.UNAUTHENTICATED, 1)).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.UNAUTHENTICATED);
		assertThat(AnswerReader.ofStatus(Status.PERMISSION_DENIED, 1)).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.PERMISSION_DENIED);
		assertThat(AnswerReader.ofStatus(Status.RESOURCE_EXHAUSTED, 1)).extracting(Verdict::kind)
			.containsExactly(Verdict.Kind.FAILED);
	}

}
