package io.eventgateway.common.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.eventgateway.proto.v1.PriorityLevel;

/**
 * The SLO class of an event: how soon after ingest it must be handed to a worker.
 *
 * <p>
 * The deadline is stamped once at ingest ({@link #deadlineFor}) and never changes, so a
 * retried event keeps its place among its priority's events, which are handed out
 * earliest deadline first.
 */
public enum Priority {

	/** Real-time triggers: handed to a worker within 5 seconds. */
	P30(30, Duration.ofSeconds(5)),

	/** Interactive work: handed to a worker within 1 minute. */
	P20(20, Duration.ofMinutes(1)),

	/**
	 * Bulk and background work: handed to a worker within 20 minutes; absorbs
	 * backpressure.
	 */
	P10(10, Duration.ofMinutes(20));

	private final int level;

	private final Duration slo;

	Priority(int level, Duration slo) {
		this.level = level;
		this.slo = slo;
	}

	/** The numeric level used in settings, topic names and the wire format. */
	public int level() {
		return this.level;
	}

	/** The longest an event of this priority may wait between ingest and a worker. */
	public Duration slo() {
		return this.slo;
	}

	/** The SLO deadline of an event of this priority ingested at the given instant. */
	public Instant deadlineFor(Instant ingestedAt) {
		return ingestedAt.plus(this.slo);
	}

	/** The next lower priority; P10 stays P10 (it is the lowest). */
	public Priority demoted() {
		return switch (this) {
			case P30 -> P20;
			case P20, P10 -> P10;
		};
	}

	/** The wire value of this priority. */
	public PriorityLevel toProto() {
		return switch (this) {
			case P30 -> PriorityLevel.P30;
			case P20 -> PriorityLevel.P20;
			case P10 -> PriorityLevel.P10;
		};
	}

	/**
	 * The priority of a wire value.
	 * @throws IllegalArgumentException for {@code PRIORITY_LEVEL_UNSPECIFIED} or an
	 * unknown value
	 */
	public static Priority fromProto(PriorityLevel level) {
		return switch (level) {
			case P30 -> P30;
			case P20 -> P20;
			case P10 -> P10;
			default -> throw new IllegalArgumentException("unknown priority level " + level);
		};
	}

	/**
	 * Parses "P30", "p30" or "30".
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static Priority parse(String text) {
		String normalized = text.trim().toUpperCase(Locale.ROOT);
		for (Priority priority : values()) {
			if (priority.name().equals(normalized) || Integer.toString(priority.level).equals(normalized)) {
				return priority;
			}
		}
		throw new IllegalArgumentException("unknown priority '" + text + "' (expected P30, P20 or P10)");
	}

}
