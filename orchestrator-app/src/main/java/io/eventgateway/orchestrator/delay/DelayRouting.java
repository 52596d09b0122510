package io.eventgateway.orchestrator.delay;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;

/**
 * Decides where a record of a delay topic goes once its partition no longer holds it: to
 * its destination when due, to the tier of its remaining time when not, and to the
 * dead-letter topic when it is not a delay record the gateway wrote (a tombstone, a
 * missing or malformed {@code gateway-delay-until} or {@code gateway-delayed-to}, a
 * destination that is not a priority or offload topic, a due time further ahead than the
 * delay topics keep records).
 *
 * <p>
 * Immutable and thread-safe; plain logic.
 */
public final class DelayRouting {

	/** The most of a bad header's text a dead letter's error repeats. */
	private static final int MAX_ECHOED_LENGTH = 200;

	private final TopicLayout topics;

	private final Set<String> destinations;

	private final Duration maxAhead;

	/**
	 * @param topics the gateway's topics: destinations and tiers
	 * @param maxAhead the furthest ahead a due time may lie: the topics' retention.
	 * Ingest never delays an event that far, so such a record is not the gateway's, and
	 * would otherwise move from tier to tier for ever
	 */
	public DelayRouting(TopicLayout topics, Duration maxAhead) {
		this.topics = topics;
		Set<String> destinations = new HashSet<>(topics.priorityTopics());
		destinations.add(topics.offload());
		this.destinations = Set.copyOf(destinations);
		this.maxAhead = maxAhead;
	}

	/**
	 * Where the record goes now.
	 * @param record a record of a delay topic
	 * @param now the time, epoch milliseconds
	 * @return the decision; never throws
	 */
	public DelayDecision decide(ConsumerRecord<?, byte[]> record, long now) {
		if (record.value() == null) {
			return DelayDecision.deadLetter("a tombstone (no value) on a delay topic");
		}
		Header until = record.headers().lastHeader(GatewayHeaders.DELAY_UNTIL);
		if (until == null) {
			return DelayDecision.deadLetter("delay record without a " + GatewayHeaders.DELAY_UNTIL + " header");
		}
		if (until.value() == null || until.value().length != Long.BYTES) {
			return DelayDecision
				.deadLetter("delay record whose " + GatewayHeaders.DELAY_UNTIL + " is not an 8-byte epoch-millis time");
		}
		String destination = GatewayHeaders.getString(record.headers(), GatewayHeaders.DELAYED_TO);
		if (destination == null) {
			return DelayDecision.deadLetter("delay record without a " + GatewayHeaders.DELAYED_TO + " header");
		}
		if (!this.destinations.contains(destination)) {
			return DelayDecision.deadLetter("delay record whose " + GatewayHeaders.DELAYED_TO + " '"
					+ abbreviated(destination) + "' is not a priority or offload topic of this gateway");
		}
		long due = ByteBuffer.wrap(until.value()).getLong();
		if (due <= now) {
			return DelayDecision.due(destination);
		}
		// Positive and without overflow: due > now >= 0.
		Duration remaining = Duration.ofMillis(due - now);
		if (remaining.compareTo(this.maxAhead) > 0) {
			return DelayDecision.deadLetter("delay record due in " + remaining + ", beyond the delay topics' retention "
					+ this.maxAhead + ": not a delay the gateway writes");
		}
		Duration tier = this.topics.delayTierFor(remaining);
		return DelayDecision.nextTier(this.topics.delay(tier), Math.min(due, now + tier.toMillis()));
	}

	/**
	 * When the record may be forwarded at the earliest: its {@code gateway-not-before},
	 * or its due time when that is sooner (a record due already is never held); 0 when it
	 * has neither.
	 */
	static long notBefore(ConsumerRecord<?, ?> record) {
		long notBefore = GatewayHeaders.getLong(record.headers(), GatewayHeaders.NOT_BEFORE, 0);
		long due = GatewayHeaders.getLong(record.headers(), GatewayHeaders.DELAY_UNTIL, Long.MAX_VALUE);
		return Math.min(notBefore, due);
	}

	private static String abbreviated(String text) {
		return (text.length() <= MAX_ECHOED_LENGTH) ? text : text.substring(0, MAX_ECHOED_LENGTH) + "...";
	}

}
