package io.eventgateway.publisher.produce;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.eventgateway.common.kafka.GatewayHeaders;

/**
 * Where a delayed event waits and where it goes when due: the delay topic of its tier and
 * the three delay headers of its record. The orchestrators hold the record until
 * {@code holdEnd}, then write it to {@code delayedTo} once {@code due}, or to the tier
 * for the time still left.
 *
 * @param topic the delay topic the record is written to
 * @param tier that topic's tier
 * @param holdEnd the end of the record's hold in its tier, the earlier of {@code due} and
 * the write time plus the tier ({@link GatewayHeaders#NOT_BEFORE})
 * @param due when the event is due ({@link GatewayHeaders#DELAY_UNTIL})
 * @param delayedTo the topic the event goes to when due: its priority topic, or the
 * offload topic ({@link GatewayHeaders#DELAYED_TO})
 */
public record Delay(String topic, Duration tier, Instant holdEnd, Instant due, String delayedTo) {

	/** Adds the three delay headers, in epoch milliseconds and a topic name. */
	public void addHeaders(Headers headers) {
		GatewayHeaders.putLong(headers, GatewayHeaders.NOT_BEFORE, this.holdEnd.toEpochMilli());
		GatewayHeaders.putLong(headers, GatewayHeaders.DELAY_UNTIL, this.due.toEpochMilli());
		GatewayHeaders.putString(headers, GatewayHeaders.DELAYED_TO, this.delayedTo);
	}

	/**
	 * Copies the three delay headers of a record as they are, so that a replayed delay
	 * record keeps the hold it was written with. All three or none: a record missing one,
	 * or with one malformed, gives none.
	 * @return whether the headers were copied
	 */
	public static boolean copyHeaders(Headers from, Headers to) {
		Header notBefore = from.lastHeader(GatewayHeaders.NOT_BEFORE);
		Header delayUntil = from.lastHeader(GatewayHeaders.DELAY_UNTIL);
		String delayedTo = GatewayHeaders.getString(from, GatewayHeaders.DELAYED_TO);
		if (!isLong(notBefore) || !isLong(delayUntil) || delayedTo == null || delayedTo.isBlank()) {
			return false;
		}
		to.add(notBefore);
		to.add(delayUntil);
		to.add(from.lastHeader(GatewayHeaders.DELAYED_TO));
		return true;
	}

	/** Whether a time can be a delay header's epoch milliseconds. */
	static boolean fitsInMillis(Instant instant) {
		try {
			instant.toEpochMilli();
			return true;
		}
		catch (ArithmeticException | DateTimeException ex) {
			return false;
		}
	}

	private static boolean isLong(Header header) {
		return header != null && header.value() != null && header.value().length == Long.BYTES;
	}

}
