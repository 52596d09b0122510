package io.eventgateway.orchestrator.lag;

import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * A consumer group whose progress the lag probe reports, and what it reads.
 *
 * @param groupId the group's id
 * @param topics the topics it reads by name
 * @param topicPattern the topics it reads by pattern (every topic whose whole name
 * matches, as the probe's consumer lists them each round), or {@code null}
 * @param partitions which partitions of them count (all for a source; this replica's own
 * for the responses topic)
 * @param resumesAtLogStart whether a partition without a commit counts from its log start
 * (a subscribed group, which starts there); otherwise its lag is unknown, since the
 * offsets of a group without members expire after offsets.retention.minutes and an idle
 * replica would seem to trail its whole partition
 */
public record ProbedGroup(String groupId, List<String> topics, Pattern topicPattern, IntPredicate partitions,
		boolean resumesAtLogStart) {

	/** A subscribed group that reads every partition of its topics. */
	public static ProbedGroup of(String groupId, List<String> topics) {
		return new ProbedGroup(groupId, List.copyOf(topics), null, (partition) -> true, true);
	}

	/**
	 * A group subscribed by pattern, reading every partition of every topic whose name
	 * matches.
	 */
	public static ProbedGroup ofPattern(String groupId, Pattern topicPattern) {
		return new ProbedGroup(groupId, List.of(), topicPattern, (partition) -> true, true);
	}

	/** A group manually assigned one partition of one topic. */
	public static ProbedGroup ofPartition(String groupId, String topic, int partition) {
		return new ProbedGroup(groupId, List.of(topic), null, (candidate) -> candidate == partition, false);
	}

}
