package io.eventgateway.publisher.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.google.protobuf.Timestamp;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;

/**
 * The publisher's own check of every field of an event before Kafka. Ingest checks and
 * stamps every event, but anything that reaches the publisher's port could call it
 * directly: a priority, a deadline or a size that ingest would never have produced is
 * refused here, whoever sent it.
 *
 * <p>
 * Thread-safe: immutable.
 */
public final class EventCheck {

	/** The answer's prefix, the gRPC status name of a caller's mistake. */
	static final String INVALID_ARGUMENT = "INVALID_ARGUMENT: ";

	/** Ids and the company are record keys, log fields and header values: kept short. */
	static final int MAX_ID_LENGTH = 128;

	static final int MAX_NAME_LENGTH = 256;

	static final int MAX_TAGS = 16;

	static final int MAX_TAG_KEY_LENGTH = 64;

	private final Limits limits;

	private final Clock clock;

	/**
	 * @param limits the bounds of the checked values
	 * @param clock the time ingested_at is compared with
	 */
	public EventCheck(Limits limits, Clock clock) {
		this.limits = limits;
		this.clock = clock;
	}

	/**
	 * What is wrong with the event, as {@code INVALID_ARGUMENT: <field> <problem>}, or
	 * {@code null} when it can be published. The first problem found is named.
	 */
	public String problemOf(Event event) {
		String problem = fieldProblemOf(event);
		return (problem != null) ? INVALID_ARGUMENT + problem : null;
	}

	private String fieldProblemOf(Event event) {
		String problem = requiredText("event_id", event.getEventId(), MAX_ID_LENGTH);
		if (problem == null) {
			problem = requiredText("company_id", event.getCompanyId(), MAX_ID_LENGTH);
		}
		if (problem == null) {
			problem = optionalText("event_type", event.getEventType(), MAX_NAME_LENGTH);
		}
		if (problem == null) {
			problem = optionalText("source_name", event.getSourceName(), MAX_NAME_LENGTH);
		}
		if (problem == null) {
			problem = optionalText("request_id", event.getRequestId(), MAX_ID_LENGTH);
		}
		if (problem == null) {
			problem = priorityProblem(event.getPriorityLevel());
		}
		if (problem == null) {
			problem = timeProblem(event);
		}
		if (problem == null) {
			problem = attemptProblem(event.getAttempt());
		}
		if (problem == null && event.getRawPayload().size() > this.limits.maxPayloadBytes()) {
			problem = "raw_payload is " + event.getRawPayload().size() + " bytes, over the limit of "
					+ this.limits.maxPayloadBytes();
		}
		if (problem == null) {
			problem = tagsProblem(event.getTagsMap());
		}
		return problem;
	}

	private static String priorityProblem(PriorityLevel priority) {
		if (priority != PriorityLevel.P30 && priority != PriorityLevel.P20 && priority != PriorityLevel.P10) {
			return "priority_level must be P30, P20 or P10";
		}
		return null;
	}

	private String timeProblem(Event event) {
		if (!event.hasIngestedAt() || !isValid(event.getIngestedAt())) {
			return "ingested_at is required (a valid timestamp)";
		}
		if (!event.hasSloDeadline() || !isValid(event.getSloDeadline())) {
			return "slo_deadline is required (a valid timestamp)";
		}
		Instant now = this.clock.instant();
		Instant ingestedAt = toInstant(event.getIngestedAt());
		if (ingestedAt.isAfter(now.plus(this.limits.maxClockSkew()))) {
			return "ingested_at is in the future (" + ingestedAt + ", more than " + this.limits.maxClockSkew()
					+ " ahead)";
		}
		if (ingestedAt.isBefore(now.minus(this.limits.maxAge()))) {
			return "ingested_at is more than " + this.limits.maxAge() + " ago (" + ingestedAt + ")";
		}
		if (event.hasNotBefore()) {
			return delayedTimeProblem(event, ingestedAt);
		}
		Instant deadline = toInstant(event.getSloDeadline());
		if (!deadline.isAfter(ingestedAt)) {
			return "slo_deadline must be after ingested_at";
		}
		if (deadline.isAfter(ingestedAt.plus(this.limits.maxSlo()))) {
			return "slo_deadline must be at most " + this.limits.maxSlo() + " after ingested_at";
		}
		return null;
	}

	/**
	 * A delayed event's deadline counts from when it is due, which must lie within the
	 * topics' retention after ingested_at: a record due later would be deleted before it
	 * is due. Ingest keeps its longest delay shorter than that retention.
	 */
	private String delayedTimeProblem(Event event, Instant ingestedAt) {
		if (!isValid(event.getNotBefore())) {
			return "not_before must be a valid timestamp";
		}
		Instant due = toInstant(event.getNotBefore());
		if (due.isAfter(ingestedAt.plus(this.limits.retention()))) {
			return "not_before must be at most " + this.limits.retention()
					+ " (gateway.topics.retention) after ingested_at";
		}
		// Due before it was accepted: not delayed at all, its deadline counts from
		// ingested_at.
		Instant start = due.isAfter(ingestedAt) ? due : ingestedAt;
		String startName = due.isAfter(ingestedAt) ? "not_before" : "ingested_at";
		Instant deadline = toInstant(event.getSloDeadline());
		if (!deadline.isAfter(start)) {
			return "slo_deadline must be after " + startName;
		}
		if (deadline.isAfter(start.plus(this.limits.maxSlo()))) {
			return "slo_deadline must be at most " + this.limits.maxSlo() + " after " + startName;
		}
		return null;
	}

	private String attemptProblem(int attempt) {
		if (attempt < 0 || attempt > this.limits.maxAttempt()) {
			return "attempt must be between 0 and " + this.limits.maxAttempt() + ", was " + attempt;
		}
		return null;
	}

	private static String tagsProblem(Map<String, String> tags) {
		if (tags.size() > MAX_TAGS) {
			return "tags has " + tags.size() + " entries, over the limit of " + MAX_TAGS;
		}
		for (Map.Entry<String, String> tag : tags.entrySet()) {
			String problem = requiredText("tags key", tag.getKey(), MAX_TAG_KEY_LENGTH);
			if (problem == null) {
				problem = optionalText("tags[" + tag.getKey() + "]", tag.getValue(), MAX_NAME_LENGTH);
			}
			if (problem != null) {
				return problem;
			}
		}
		return null;
	}

	private static String requiredText(String field, String value, int maxLength) {
		if (value.isBlank()) {
			return field + " is required";
		}
		return optionalText(field, value, maxLength);
	}

	private static String optionalText(String field, String value, int maxLength) {
		if (value.length() > maxLength) {
			return field + " must be at most " + maxLength + " characters, was " + value.length();
		}
		if (value.chars().anyMatch(Character::isISOControl)) {
			return field + " must not contain control characters";
		}
		return null;
	}

	/** Within the range protobuf allows and {@link Instant} can hold. */
	private static boolean isValid(Timestamp timestamp) {
		return timestamp.getSeconds() >= -62_135_596_800L && timestamp.getSeconds() <= 253_402_300_799L
				&& timestamp.getNanos() >= 0 && timestamp.getNanos() <= 999_999_999;
	}

	private static Instant toInstant(Timestamp timestamp) {
		return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	/**
	 * The bounds of the checked values.
	 *
	 * @param maxPayloadBytes the largest raw_payload
	 * @param maxAttempt the highest attempt number
	 * @param maxClockSkew how far ahead of this clock ingested_at may be
	 * @param maxAge how far behind this clock ingested_at may be
	 * @param maxSlo how long after ingested_at (after not_before, for a delayed event)
	 * slo_deadline may be
	 * @param retention how long the topics keep a record
	 * ({@code gateway.topics.retention}); not_before may be at most that long after
	 * ingested_at
	 */
	public record Limits(int maxPayloadBytes, int maxAttempt, Duration maxClockSkew, Duration maxAge, Duration maxSlo,
			Duration retention) {

		/** Bounds with the topics' default retention, seven days. */
		public Limits(int maxPayloadBytes, int maxAttempt, Duration maxClockSkew, Duration maxAge, Duration maxSlo) {
			this(maxPayloadBytes, maxAttempt, maxClockSkew, maxAge, maxSlo, Duration.ofDays(7));
		}

	}

}
