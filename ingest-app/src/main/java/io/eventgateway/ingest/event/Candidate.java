package io.eventgateway.ingest.event;

import java.util.List;

/**
 * One event of a batch as decoded: either a well-formed event or the reasons it is not.
 *
 * @param index position in the request
 * @param event the decoded event, or {@code null} when decoding found errors
 * @param errors what is wrong; empty when {@code event} is set
 */
public record Candidate(int index, RawEvent event, List<FieldError> errors) {

	/** A well-formed event. */
	public static Candidate valid(int index, RawEvent event) {
		return new Candidate(index, event, List.of());
	}

	/** An event that cannot be accepted. */
	public static Candidate invalid(int index, List<FieldError> errors) {
		return new Candidate(index, null, List.copyOf(errors));
	}

	/** Whether the event can go on to classification. */
	public boolean isValid() {
		return this.event != null;
	}

}
