package io.eventgateway.orchestrator.retry;

import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;

import io.eventgateway.orchestrator.buffer.Position;

/**
 * A record of a source topic that is not an event the gateway wrote (a tombstone, an
 * operator's test message, another producer's format, an event with values out of range):
 * it goes to the dead-letter topic as it is, with the reason.
 *
 * @param position where it was read
 * @param key its key, or {@code null}
 * @param value its value, or {@code null} for a tombstone
 * @param headers its headers, copied to the dead letter
 * @param timestamp its timestamp
 * @param reason why it is not usable, for the dead letter's error header and the log
 */
public record ForeignRecord(Position position, @Nullable String key, byte @Nullable [] value, Header[] headers,
		long timestamp, String reason) {

	@Override
	public String toString() {
		// Never the payload: it may carry anything.
		return "ForeignRecord[" + this.position + ": " + this.reason + "]";
	}

}
