package io.eventgateway.orchestrator.delay;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventgateway.common.kafka.TopicLayout;

/**
 * Which topics are delay topics: every {@code <prefix>.delay.<seconds>s}, the configured
 * tiers' and those of tiers removed or changed since, whose records were written before
 * the change and must still be forwarded. A record of such an old tier holds its
 * partition at most the seconds its topic's name gives.
 *
 * <p>
 * Immutable and thread-safe; plain logic.
 */
public final class DelayTopics {

	private final TopicLayout topics;

	private final Pattern pattern;

	/**
	 * The delay topics of a layout.
	 * @param topics the gateway's topics: prefix and current tiers
	 */
	public DelayTopics(TopicLayout topics) {
		this.topics = topics;
		this.pattern = Pattern.compile(Pattern.quote(topics.prefix()) + "\\.delay\\.(\\d+)s");
	}

	/** Matches the name of every delay topic, current tier or not. */
	public Pattern pattern() {
		return this.pattern;
	}

	/**
	 * The longest a record of the topic may hold its partition, in milliseconds: its
	 * tier, current or the one its name gives; 0 for a topic that is not a delay topic
	 * (its records are never held).
	 * @param topic a topic's name
	 */
	public long maxHoldMillis(String topic) {
		Duration tier = this.topics.delayTierOf(topic);
		if (tier != null) {
			return tier.toMillis();
		}
		Matcher matcher = this.pattern.matcher(topic);
		if (!matcher.matches()) {
			return 0;
		}
		try {
			return Math.multiplyExact(Long.parseLong(matcher.group(1)), 1000L);
		}
		catch (ArithmeticException | NumberFormatException ex) {
			// More seconds than a long holds in millis: a hold as long as a long allows.
			return Long.MAX_VALUE;
		}
	}

}
