package io.eventgateway.publisher.produce;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

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

}
