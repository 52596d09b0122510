package io.eventgateway.common.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names and codecs of the Kafka record headers the gateway writes: the ordering headers
 * on every event record (so that the orchestrator orders without decoding the payload),
 * and the headers of retry, dead-letter, failed-write and parked records. Numbers are
 * 8-byte big-endian longs; text is UTF-8.
 */
public final class GatewayHeaders {

	/**
	 * The event's id, as in the payload. Written with {@link #PRIORITY},
	 * {@link #SLO_DEADLINE} and {@link #INGESTED_AT} on every event record the gateway
	 * writes; a record missing any of the four, or with one malformed, is decoded from
	 * its payload instead.
	 */
	public static final String EVENT_ID = "gateway-event-id";

	/** The event's priority: the number of its {@code PriorityLevel} (10, 20, 30). */
	public static final String PRIORITY = "gateway-priority";

	/** The event's SLO deadline, in nanoseconds since the epoch. */
	public static final String SLO_DEADLINE = "gateway-slo-deadline";

	/** When ingest accepted the event, in nanoseconds since the epoch. */
	public static final String INGESTED_AT = "gateway-ingested-at";

	/**
	 * Epoch milliseconds before which a retry or delay record must not be served (on a
	 * delay record: the end of its hold in its tier).
	 */
	public static final String NOT_BEFORE = "gateway-not-before";

	/**
	 * On a delay record: the epoch milliseconds at which the event is due, when it leaves
	 * the delay topics for its {@link #INTENDED_TOPIC}.
	 */
	public static final String DELAY_UNTIL = "gateway-delay-until";

	/**
	 * On a delay record: the topic the event goes to when it is due (its priority topic,
	 * or the offload topic), as a UTF-8 name.
	 */
	public static final String DELAYED_TO = "gateway-delayed-to";

	/** Topic the event was first read from. */
	public static final String ORIGINAL_TOPIC = "gateway-original-topic";

	/** Partition the event was first read from. */
	public static final String ORIGINAL_PARTITION = "gateway-original-partition";

	/** Offset the event was first read at. */
	public static final String ORIGINAL_OFFSET = "gateway-original-offset";

	/** The topic a failed write was meant for. */
	public static final String INTENDED_TOPIC = "gateway-intended-topic";

	/** Why the last attempt failed. */
	public static final String ERROR = "gateway-error";

	/**
	 * On a dead letter: the original value (and headers) were dropped because they did
	 * not fit; says why.
	 */
	public static final String VALUE_DROPPED = "gateway-value-dropped";

	/**
	 * Why a record was parked rather than processed: the name of a fixed reason, such as
	 * {@code TOMBSTONE}; the detail is in {@link #ERROR}.
	 */
	public static final String PARKED_REASON = "gateway-parked-reason";

	/** Failed attempts so far. */
	public static final String ATTEMPTS = "gateway-attempts";

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	private GatewayHeaders() {
	}

	/** Adds a numeric header. */
	public static void putLong(Headers headers, String name, long value) {
		headers.add(name, ByteBuffer.allocate(Long.BYTES).putLong(value).array());
	}

	/** Adds a text header. */
	public static void putString(Headers headers, String name, String value) {
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The last numeric header of that name, or {@code fallback} when absent or malformed.
	 */
	public static long getLong(Headers headers, String name, long fallback) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null && header.value().length == Long.BYTES)
				? ByteBuffer.wrap(header.value()).getLong() : fallback;
	}

	/**
	 * Adds a time header in nanoseconds since the epoch.
	 * @return {@code false}, adding nothing, when the instant lies outside what a long of
	 * nanoseconds holds (before 1677 or after 2262)
	 */
	public static boolean putEpochNanos(Headers headers, String name, Instant instant) {
		long nanos;
		try {
			nanos = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
		}
		catch (ArithmeticException ex) {
			return false;
		}
		putLong(headers, name, nanos);
		return true;
	}

	/**
	 * The last time header of that name, in nanoseconds since the epoch, or {@code null}
	 * when absent or malformed.
	 */
	public static Instant getEpochNanos(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		if (header == null || header.value() == null || header.value().length != Long.BYTES) {
			return null;
		}
		long nanos = ByteBuffer.wrap(header.value()).getLong();
		return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
	}

	/** The last text header of that name, or {@code null} when absent. */
	public static String getString(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
