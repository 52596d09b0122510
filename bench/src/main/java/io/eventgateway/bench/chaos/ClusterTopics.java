package io.eventgateway.bench.chaos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.TopicConfig;

import io.eventgateway.common.kafka.TopicLayout;

/**
 * The harness's own view of a cluster's topics: it creates them before any role starts
 * (so that their replication is the run's, not whatever a role would choose) and asks
 * which node leads a partition.
 */
final class ClusterTopics {

	private static final long TIMEOUT_SECONDS = 60;

	private ClusterTopics() {
	}

	/**
	 * Creates every topic of the layout that does not exist yet.
	 * @param partitions partitions of each topic
	 * @param responsesPartitions partitions of the responses topic: one per orchestrator
	 * replica the run may start
	 * @param replicationFactor replicas of each partition
	 * @param minInsyncReplicas {@code min.insync.replicas} of each topic
	 */
	static void create(String bootstrapServers, TopicLayout layout, int partitions, int responsesPartitions,
			short replicationFactor, int minInsyncReplicas) throws InterruptedException {
		try (Admin admin = admin(bootstrapServers)) {
			Set<String> existing = new HashSet<>(admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
			List<NewTopic> topics = new ArrayList<>();
			for (String name : layout.all()) {
				if (!existing.contains(name)) {
					int count = name.equals(layout.responses()) ? Math.max(partitions, responsesPartitions)
							: partitions;
					topics.add(new NewTopic(name, count, replicationFactor)
						.configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas))));
				}
			}
			admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("could not create the topics on " + bootstrapServers, ex);
		}
	}

	/** The node id of the leader of one partition. */
	static int leaderOf(String bootstrapServers, String topic, int partition) throws InterruptedException {
		try (Admin admin = admin(bootstrapServers)) {
			TopicDescription description = admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
				.get(topic);
			Node leader = description.partitions().get(partition).leader();
			if (leader == null) {
				throw new IllegalStateException(topic + "-" + partition + " has no leader");
			}
			return leader.id();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("could not describe " + topic + " on " + bootstrapServers, ex);
		}
	}

	private static Admin admin(String bootstrapServers) {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
	}

}
