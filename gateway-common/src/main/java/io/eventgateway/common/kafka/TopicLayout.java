package io.eventgateway.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.common.event.Priority;

/**
 * The names of every topic the gateway uses, derived from one prefix so that several
 * gateways can share a cluster.
 *
 * @param prefix the common prefix, {@code events} by default
 * @param retryLevels how many retry topics there are ({@code <prefix>.retry.1} and up)
 * @param delayTiers the hold of each delay topic, shortest first, in whole seconds: a
 * delayed event waits on {@code <prefix>.delay.<seconds>s} topics until it is due
 */
public record TopicLayout(String prefix, int retryLevels, List<Duration> delayTiers) {

	/** The prefix used when none is configured. */
	public static final String DEFAULT_PREFIX = "events";

	/** The number of retry levels used when none is configured. */
	public static final int DEFAULT_RETRY_LEVELS = 3;

	/** The delay tiers used when none are configured. */
	public static final List<Duration> DEFAULT_DELAY_TIERS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
			Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));

	public TopicLayout {
		if (prefix == null || prefix.isBlank()) {
			throw new IllegalArgumentException("topic prefix must not be blank");
		}
		if (retryLevels < 0) {
			throw new IllegalArgumentException("retry levels must not be negative, was " + retryLevels);
		}
		delayTiers = DelayTiers.checked(delayTiers);
	}

	/** A layout with the default delay tiers. */
	public TopicLayout(String prefix, int retryLevels) {
		this(prefix, retryLevels, DEFAULT_DELAY_TIERS);
	}

	/** The layout with the default prefix. */
	public static TopicLayout defaults() {
		return new TopicLayout(DEFAULT_PREFIX, DEFAULT_RETRY_LEVELS);
	}

	/** The topic of one priority, for example {@code events.p30}. */
	public String priority(Priority priority) {
		return this.prefix + ".p" + priority.level();
	}

	/** The priority topics, most urgent first. */
	public List<String> priorityTopics() {
		return List.of(priority(Priority.P30), priority(Priority.P20), priority(Priority.P10));
	}

	/** Where P10 events over the admission rate wait until the orchestrator has room. */
	public String offload() {
		return this.prefix + ".offload";
	}

	/**
	 * The retry topic of a level, for example {@code events.retry.1}.
	 * @param level from 1 to {@link #retryLevels()}
	 */
	public String retry(int level) {
		if (level < 1 || level > this.retryLevels) {
			throw new IllegalArgumentException("retry level " + level + " is outside [1, " + this.retryLevels + "]");
		}
		return this.prefix + ".retry." + level;
	}

	/** The retry topics, level 1 first. */
	public List<String> retryTopics() {
		List<String> topics = new ArrayList<>(this.retryLevels);
		for (int level = 1; level <= this.retryLevels; level++) {
			topics.add(retry(level));
		}
		return topics;
	}

	/**
	 * The delay topic of a tier, for example {@code events.delay.60s}: its records are
	 * held until their {@link GatewayHeaders#NOT_BEFORE}, at most the tier's duration
	 * after they were written.
	 * @param tier one of {@link #delayTiers()}
	 */
	public String delay(Duration tier) {
		if (!this.delayTiers.contains(tier)) {
			throw new IllegalArgumentException("delay tier " + tier + " is not one of " + this.delayTiers);
		}
		return this.prefix + ".delay." + tier.toSeconds() + "s";
	}

	/** The delay topics, shortest tier first. */
	public List<String> delayTopics() {
		return this.delayTiers.stream().map(this::delay).toList();
	}

	/**
	 * The tier an event that is due in {@code remaining} waits in next: the longest tier
	 * not longer than {@code remaining}, or the shortest tier when every tier is longer.
	 * Within a tier, records are then due in the order they were written (each is held
	 * exactly the tier's duration), except events due sooner than the shortest tier.
	 */
	public Duration delayTierFor(Duration remaining) {
		Duration chosen = this.delayTiers.get(0);
		for (Duration tier : this.delayTiers) {
			if (tier.compareTo(remaining) <= 0) {
				chosen = tier;
			}
		}
		return chosen;
	}

	/** The tier whose topic this is, or {@code null} when it is not a delay topic. */
	public Duration delayTierOf(String topic) {
		for (Duration tier : this.delayTiers) {
			if (delay(tier).equals(topic)) {
				return tier;
			}
		}
		return null;
	}

	/** Where events go after the last retry level. */
	public String dlq() {
		return this.prefix + ".dlq";
	}

	/** Worker answers; partition i belongs to orchestrator replica i. */
	public String responses() {
		return this.prefix + ".responses";
	}

	/**
	 * Events the primary cluster refused, kept on the fallback cluster until republished.
	 */
	public String failedWrites() {
		return this.prefix + ".failed-writes";
	}

	/**
	 * Records of the failed-writes topic that can never be republished (not an event, no
	 * intended topic), kept beside it on the fallback cluster for an operator.
	 */
	public String parkedFailedWrites() {
		return failedWrites() + ".parked";
	}

	/** AIMD signals from the orchestrators to ingest. */
	public String flowControl() {
		return this.prefix + ".flow-control";
	}

	/** Every topic the gateway creates. */
	public List<String> all() {
		List<String> topics = new ArrayList<>(priorityTopics());
		topics.addAll(List.of(offload(), dlq(), responses(), flowControl()));
		topics.addAll(retryTopics());
		topics.addAll(delayTopics());
		return topics;
	}

}
