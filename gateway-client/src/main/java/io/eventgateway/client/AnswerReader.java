package io.eventgateway.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.Status;

import io.eventgateway.proto.v1.FieldError;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;

/**
 * Reads ingest's answer to one {@code IngestEvents} call as one verdict per event of the
 * batch.
 *
 * <p>
 * The wire result of a refused event is {@code REJECTED} with field errors, whether the
 * event was invalid or valid but not stored. Ingest names a field of the event
 * ({@code events[2].company_id}) for an invalid one, and the event itself
 * ({@code events[2]}) for one it could not store: the latter is the only kind a retry can
 * fix. The same field paths appear in the description of an {@code INVALID_ARGUMENT} or
 * {@code UNAVAILABLE} status, which lets a batch answered {@code UNAVAILABLE} retry only
 * its valid events.
 */
final class AnswerReader {

	/** One "events[i].field: message" entry of a status description. */
	private static final Pattern STATUS_ENTRY = Pattern.compile("events\\[(\\d+)\\](?:\\.([^:;]*))?: ([^;]*)");

	private AnswerReader() {
	}

	/** The verdicts of a call that completed with a response. */
	static List<Verdict> ofResponse(IngestEventsResponse response, int batchSize) {
		List<Verdict> verdicts = new ArrayList<>(batchSize);
		for (int i = 0; i < batchSize; i++) {
			verdicts.add(Verdict.of(Verdict.Kind.RETRY, "ingest's answer had no result for this event"));
		}
		for (IngestResult result : response.getResultsList()) {
			int index = result.getIndex();
			if (index < 0 || index >= batchSize) {
				continue;
			}
			verdicts.set(index, ofResult(result, index));
		}
		return verdicts;
	}

	private static Verdict ofResult(IngestResult result, int index) {
		if (result.getStatus() == IngestResult.Status.ACCEPTED) {
			return Verdict.accepted(result.getPriority().name());
		}
		String eventPath = "events[" + index + "]";
		StringBuilder message = new StringBuilder();
		String field = null;
		for (FieldError error : result.getErrorsList()) {
			if (!message.isEmpty()) {
				message.append("; ");
			}
			message.append(error.getField().isEmpty() ? "" : error.getField() + ": ").append(error.getMessage());
			if (field == null && error.getField().startsWith(eventPath + ".")) {
				field = error.getField().substring(eventPath.length() + 1);
			}
		}
		if (field != null) {
			return new Verdict(Verdict.Kind.INVALID, null, field, message.toString());
		}
		return Verdict.of(Verdict.Kind.RETRY, message.isEmpty() ? "rejected without a reason" : message.toString());
	}

	/** The verdicts of a call that ended with a status other than OK. */
	static List<Verdict> ofStatus(Status status, int batchSize) {
		String description = "ingest answered " + status.getCode()
				+ ((status.getDescription() != null) ? ": " + status.getDescription() : "");
		switch (status.getCode()) {
			case UNAVAILABLE, DEADLINE_EXCEEDED:
				return withNamedInvalid(status, Verdict.Kind.RETRY, description, batchSize);
			case INVALID_ARGUMENT:
				return ofInvalidArgument(status, description, batchSize);
			case UNAUTHENTICATED:
				return all(Verdict.Kind.UNAUTHENTICATED, description, batchSize);
			case PERMISSION_DENIED:
				return ofPermissionDenied(status, description, batchSize);
			default:
				return all(Verdict.Kind.FAILED, description, batchSize);
		}
	}

	/**
	 * Ingest refuses a whole batch when one event names a company other than the key's,
	 * and names that event ({@code events[3].company_id}): only it is refused, the rest
	 * is sent again (where ingest finds the next such event, if any). Without an event
	 * named, the whole batch is refused.
	 */
	private static List<Verdict> ofPermissionDenied(Status status, String description, int batchSize) {
		List<Verdict> verdicts = all(Verdict.Kind.RESEND, "resent without the event ingest refused", batchSize);
		boolean named = false;
		Matcher entry = entries(status);
		while (entry != null && entry.find()) {
			int index = Integer.parseInt(entry.group(1));
			if (index < batchSize && "company_id".equals(entry.group(2))) {
				verdicts.set(index, Verdict.of(Verdict.Kind.PERMISSION_DENIED, description));
				named = true;
			}
		}
		return named ? verdicts : all(Verdict.Kind.PERMISSION_DENIED, description, batchSize);
	}

	/**
	 * Ingest answers {@code INVALID_ARGUMENT} when every event is invalid, naming the
	 * fields of at most ten of them, or when the batch as a whole is refused (too many
	 * events, too many bytes) without naming any event: then the events are not invalid,
	 * the client's batch limits exceed ingest's, and they fail with that said.
	 */
	private static List<Verdict> ofInvalidArgument(Status status, String description, int batchSize) {
		Matcher entry = entries(status);
		if (entry == null || !entry.find()) {
			return all(Verdict.Kind.FAILED,
					"ingest refused the whole batch, not this event: " + description
							+ " (are maxEventsPerBatch and maxBytesPerBatch within ingest's gateway.ingest.limits?)",
					batchSize);
		}
		return withNamedInvalid(status, Verdict.Kind.INVALID, description, batchSize);
	}

	private static List<Verdict> withNamedInvalid(Status status, Verdict.Kind otherwise, String description,
			int batchSize) {
		List<Verdict> verdicts = all(otherwise, description, batchSize);
		// The description names each event's problems: an event with a named field is
		// invalid whatever the status, and carries its own message. Ingest names at most
		// ten problems; an invalid event past them takes the batch's verdict (a retry
		// then
		// names it, in a smaller batch).
		Matcher entry = entries(status);
		while (entry != null && entry.find()) {
			int index = Integer.parseInt(entry.group(1));
			if (index >= batchSize) {
				continue;
			}
			String field = entry.group(2);
			if (field != null) {
				verdicts.set(index, new Verdict(Verdict.Kind.INVALID, null, field,
						"events[" + index + "]." + field + ": " + entry.group(3).trim()));
			}
		}
		return verdicts;
	}

	private static Matcher entries(Status status) {
		return (status.getDescription() != null) ? STATUS_ENTRY.matcher(status.getDescription()) : null;
	}

	private static List<Verdict> all(Verdict.Kind kind, String message, int batchSize) {
		List<Verdict> verdicts = new ArrayList<>(batchSize);
		for (int i = 0; i < batchSize; i++) {
			verdicts.add(Verdict.of(kind, message));
		}
		return verdicts;
	}

}
