package io.eventgateway.ingest.api.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.event.BatchRejectedException;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.RawEvent;

/**
 * Decodes the JSON body of {@code POST /v1/events} into candidates, one per event,
 * without letting one event's bad field spoil the others.
 *
 * <p>
 * The body is read as a tree rather than bound to a class so that a wrong type in one
 * event is reported against that event, with its field path, instead of failing the whole
 * request. The body is parsed from its stream as it arrives, through the byte limit, so a
 * body over the limit is refused once the limit is passed, never held whole. Thread-safe.
 */
class JsonBatchReader {

	private final JsonMapper mapper = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final BatchLimits limits;

	JsonBatchReader(BatchLimits limits) {
		this.limits = limits;
	}

	/**
	 * Reads a request body held in memory.
	 * @throws BatchRejectedException when the body as a whole is unusable
	 */
	DecodedBatch read(byte[] body) {
		return read(new ByteArrayInputStream((body != null) ? body : new byte[0]), Long.MAX_VALUE);
	}

	/**
	 * Reads a request body from its stream, taking no more than the limit from it.
	 * @param limit the most bytes the body may have
	 * @throws BatchRejectedException when the body as a whole is unusable
	 * @throws BodyTooLargeException as soon as the body goes past the limit
	 */
	DecodedBatch read(InputStream body, long limit) {
		LimitedBodyStream limited = new LimitedBodyStream(body, limit);
		JsonNode root;
		try {
			root = this.mapper.readTree(limited);
		}
		catch (JacksonException ex) {
			BodyTooLargeException tooLarge = tooLarge(ex);
			if (tooLarge != null) {
				throw tooLarge;
			}
			if (limited.count() == 0) {
				throw emptyBody();
			}
			throw new BatchRejectedException("",
					"malformed JSON" + at(ex.getLocation()) + ": " + ex.getOriginalMessage());
		}
		if (limited.count() == 0) {
			throw emptyBody();
		}
		if (root == null || !root.isObject()) {
			throw new BatchRejectedException("", "request body must be a JSON object with an 'events' array");
		}
		String requestId = optionalString(root, "request_id", "request_id");
		JsonNode events = root.get("events");
		if (events == null || events.isNull()) {
			throw new BatchRejectedException("events", "is required");
		}
		if (!events.isArray()) {
			throw new BatchRejectedException("events", "must be an array of event objects");
		}
		this.limits.check(events.size(), requestId);
		List<Candidate> candidates = new ArrayList<>(events.size());
		for (int index = 0; index < events.size(); index++) {
			candidates.add(candidate(index, events.get(index)));
		}
		return new DecodedBatch(requestId, candidates);
	}

	private static BatchRejectedException emptyBody() {
		return new BatchRejectedException("", "request body is empty; expected a JSON object with an 'events' array");
	}

	/** The limit's refusal behind a parser failure, if that is what it was. */
	private static BodyTooLargeException tooLarge(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof BodyTooLargeException tooLarge) {
				return tooLarge;
			}
		}
		return null;
	}

	private Candidate candidate(int index, JsonNode node) {
		if (!node.isObject()) {
			return Candidate.invalid(index, List.of(FieldError.ofEvent(index, "", "must be a JSON object")));
		}
		List<FieldError> errors = new ArrayList<>();
		String eventId = string(node, index, "event_id", false, errors);
		String companyId = string(node, index, "company_id", false, errors);
		String eventType = string(node, index, "event_type", true, errors);
		String source = string(node, index, "source", true, errors);
		byte[] payload = null;
		JsonNode payloadNode = node.get("payload");
		if (payloadNode == null || payloadNode.isNull()) {
			errors.add(FieldError.ofEvent(index, "payload", "is required"));
		}
		else if (!payloadNode.isObject()) {
			errors.add(FieldError.ofEvent(index, "payload", "must be a JSON object, was " + describe(payloadNode)));
		}
		else {
			payload = this.mapper.writeValueAsBytes(payloadNode);
		}
		Instant notBefore = timestamp(node, index, "not_before", errors);
		return errors.isEmpty()
				? Candidate.valid(index, new RawEvent(eventId, companyId, eventType, source, payload, notBefore))
				: Candidate.invalid(index, errors);
	}

	private static String string(JsonNode node, int index, String field, boolean required, List<FieldError> errors) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			if (required) {
				errors.add(FieldError.ofEvent(index, field, "is required"));
			}
			return null;
		}
		if (!value.isString()) {
			errors.add(FieldError.ofEvent(index, field, "must be a string, was " + describe(value)));
			return null;
		}
		return value.stringValue();
	}

	private static Instant timestamp(JsonNode node, int index, String field, List<FieldError> errors) {
		String text = string(node, index, field, false, errors);
		if (text == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException ex) {
			errors.add(FieldError.ofEvent(index, field, "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z"));
			return null;
		}
	}

	private static String optionalString(JsonNode node, String name, String field) {
		JsonNode value = node.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new BatchRejectedException(field, "must be a string, was " + describe(value));
		}
		return value.stringValue();
	}

	private static String describe(JsonNode value) {
		return switch (value.getNodeType()) {
			case ARRAY -> "an array";
			case OBJECT -> "an object";
			case NUMBER -> "a number";
			case BOOLEAN -> "a boolean";
			case STRING -> "a string";
			default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
		};
	}

	private static String at(TokenStreamLocation location) {
		return (location != null && location.getLineNr() > 0)
				? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
	}

	/**
	 * A decoded request body.
	 *
	 * @param requestId the request id from the body, or {@code null}
	 * @param candidates one per event, in order
	 */
	record DecodedBatch(String requestId, List<Candidate> candidates) {
	}

}
