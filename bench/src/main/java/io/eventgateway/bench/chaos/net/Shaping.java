package io.eventgateway.bench.chaos.net;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The counters of a link's root queueing discipline ({@code tc -s qdisc show}).
 *
 * @param packets packets sent
 * @param dropped packets dropped (netem's loss, or tbf's tail drop)
 * @param overlimits times a packet had to wait for the token bucket
 */
public record Shaping(long packets, long dropped, long overlimits) {

	private static final Pattern SENT = Pattern
		.compile("Sent \\d+ bytes (\\d+) pkt \\(dropped (\\d+), overlimits (\\d+)");

	/**
	 * The counters of the first qdisc in {@code tc -s qdisc show} output; zeros if none.
	 */
	static Shaping parse(String output) {
		Matcher matcher = SENT.matcher(output);
		if (!matcher.find()) {
			return new Shaping(0, 0, 0);
		}
		return new Shaping(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
				Long.parseLong(matcher.group(3)));
	}

	Shaping plus(Shaping other) {
		return new Shaping(this.packets + other.packets, this.dropped + other.dropped,
				this.overlimits + other.overlimits);
	}

	/** Whether any packet was held back or dropped: the shaping bit. */
	public boolean tookEffect() {
		return this.dropped > 0 || this.overlimits > 0;
	}

	@Override
	public String toString() {
		return this.packets + " packets, " + this.dropped + " dropped, " + this.overlimits + " held back";
	}

}
