package io.eventgateway.ingest.api.http;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.eventgateway.ingest.event.EventOutcome;
import io.eventgateway.ingest.event.FieldError;

/**
 * The answer to {@code POST /v1/events}: counts and one result per event, in request
 * order.
 *
 * @param requestId the request id, as sent or generated
 * @param accepted how many events were durably accepted
 * @param rejected how many were not
 * @param results one per event
 */
record IngestResponse(@JsonProperty("request_id") String requestId, int accepted, int rejected, List<Result> results) {

	static IngestResponse of(String requestId, List<EventOutcome> outcomes) {
		List<Result> results = outcomes.stream().map(Result::of).toList();
		int accepted = (int) outcomes.stream().filter(EventOutcome::isAccepted).count();
		return new IngestResponse(requestId, accepted, outcomes.size() - accepted, results);
	}

	/**
	 * The outcome of one event.
	 *
	 * @param index position in the request
	 * @param eventId the id, as sent or generated
	 * @param status "accepted", "invalid" (fix the event) or "failed" (send it again)
	 * @param priority the priority it was classified to, when accepted
	 * @param errors why it was not accepted
	 */
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	record Result(int index, @JsonProperty("event_id") String eventId, String status, String priority,
			List<FieldError> errors) {

		static Result of(EventOutcome outcome) {
			return new Result(outcome.index(), outcome.eventId(), outcome.status().name().toLowerCase(Locale.ROOT),
					(outcome.priority() != null) ? outcome.priority().name() : null, outcome.errors());
		}

	}

}
