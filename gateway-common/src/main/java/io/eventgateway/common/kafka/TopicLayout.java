package io.eventgateway.common.kafka;

import java.util.List;

import io.eventgateway.common.event.Priority;

/**
 * The names of every topic the gateway uses, derived from one prefix so that several
 * gateways can share a cluster.
 *
 * @param prefix the common prefix, {@code events} by default
 */
public record TopicLayout(String prefix) {

	/** The prefix used when none is configured. */
	public static final String DEFAULT_PREFIX = "events";

	public TopicLayout {
		if (prefix == null || prefix.isBlank()) {
			throw new IllegalArgumentException("topic prefix must not be blank");
		}
	}

	/** The layout with the default prefix. */
	public static TopicLayout defaults() {
		return new TopicLayout(DEFAULT_PREFIX);
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

	/** Where events go after the last retry level. */
	public String dlq() {
		return this.prefix + ".dlq";
	}

	/** Worker answers; partition i belongs to orchestrator replica i. */
	public String responses() {
		return this.prefix + ".responses";
	}

	/** AIMD signals from the orchestrators to ingest. */
	public String flowControl() {
		return this.prefix + ".flow-control";
	}

	/** Every topic the gateway creates. */
	public List<String> all() {
		return List.of(priority(Priority.P30), priority(Priority.P20), priority(Priority.P10), offload(), dlq(),
				responses(), flowControl());
	}

}
