package io.eventgateway.common.kafka;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.common.event.Priority;

/**
 * The names of every topic the gateway uses, derived from one prefix so that several
 * gateways can share a cluster.
 *
 * @param prefix the common prefix, {@code events} by default
 * @param retryLevels how many retry topics there are ({@code <prefix>.retry.1} and up)
 */
public record TopicLayout(String prefix, int retryLevels) {

	/** The prefix used when none is configured. */
	public static final String DEFAULT_PREFIX = "events";

	/** The number of retry levels used when none is configured. */
	public static final int DEFAULT_RETRY_LEVELS = 3;

	public TopicLayout {
		if (prefix == null || prefix.isBlank()) {
			throw new IllegalArgumentException("topic prefix must not be blank");
		}
		if (retryLevels < 0) {
			throw new IllegalArgumentException("retry levels must not be negative, was " + retryLevels);
		}
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
		return topics;
	}

}
