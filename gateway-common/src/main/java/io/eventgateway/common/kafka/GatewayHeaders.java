package io.eventgateway.common.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Names and codecs of the Kafka record headers the gateway writes on retry, dead-letter,
 * failed-write and parked records. Numbers are 8-byte big-endian longs; text is UTF-8.
 */
public final class GatewayHeaders {

	/** Epoch milliseconds before which a retry record must not be served. */
	public static final String NOT_BEFORE = "gateway-not-before";

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

	/** The last text header of that name, or {@code null} when absent. */
	public static String getString(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
