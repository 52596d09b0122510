package io.eventgateway.orchestrator.lag;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * A consumer group whose progress the lag probe reports, and what it reads.
 *
 * @param groupId the group's id
 * @param topics the topics it reads
 * @param partitions which partitions of them count (all for a source; this replica's own
 * for the responses topic)
 */
public record ProbedGroup(String groupId, List<String> topics, IntPredicate partitions) {

	/** A group that reads every partition of its topics. */
	public static ProbedGroup of(String groupId, List<String> topics) {
		return new ProbedGroup(groupId, List.copyOf(topics), (partition) -> true);
	}

	/** A group that reads one partition of one topic. */
	public static ProbedGroup ofPartition(String groupId, String topic, int partition) {
		return new ProbedGroup(groupId, List.of(topic), (candidate) -> candidate == partition);
	}

}
