package io.eventgateway.test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.IntPredicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.config.OrchestratorSources;
import io.eventgateway.orchestrator.lease.LeaseTable;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the orchestrator still owes: source partitions whose committed offset is short of
 * the end (accepted events not yet ACKed, retried or dead-lettered), and events buffered
 * or leased in memory. Empty means every event accepted so far has been answered for
 * good, with one exception: an event the publisher could not write to its priority topic
 * and kept in the failed-writes topic or the spool is not counted until it is
 * republished.
 *
 * @param behind per source partition not committed to its end, how many records
 * @param buffered events waiting in the orchestrator's buffer
 * @param leased leases handed to workers and not yet answered
 */
record Backlog(Map<TopicPartition, Long> behind, long buffered, int leased) {

	private static final String DEFAULT_CONSUMER_GROUP = "event-gateway-orchestrator";

	/** Whether nothing is owed. */
	boolean isEmpty() {
		return this.behind.isEmpty() && this.buffered == 0 && this.leased == 0;
	}

	/**
	 * Reads the backlog of a running orchestrator: its sources and in-memory state from
	 * its context, the offsets from the broker.
	 */
	static Backlog read(ConfigurableApplicationContext orchestrator, Admin admin)
			throws InterruptedException, ExecutionException {
		long buffered = buffered(orchestrator);
		int leased = orchestrator.getBean(LeaseTable.class).outstanding();
		// Each source reads in a group of its own: <consumer group>-<source name>.
		String group = orchestrator.getEnvironment()
			.getProperty("gateway.orchestrator.consumer-group", DEFAULT_CONSUMER_GROUP);
		Map<TopicPartition, Long> behind = new HashMap<>();
		for (OrchestratorSources.Source source : orchestrator.getBean(OrchestratorSources.class).all()) {
			List<TopicPartition> partitions = partitions(admin, source.subscription().topics(),
					source.subscription().explicitPartitions());
			behind.putAll(behind(admin, group + "-" + source.state().name(), partitions));
		}
		// Read the memory again after the offsets, so an event that moved between the two
		// reads (read from its topic, then leased) is seen in one or the other.
		buffered = Math.max(buffered, buffered(orchestrator));
		leased = Math.max(leased, orchestrator.getBean(LeaseTable.class).outstanding());
		return new Backlog(Map.copyOf(behind), buffered, leased);
	}

	private static long buffered(ConfigurableApplicationContext orchestrator) {
		long buffered = 0;
		TaskBuffer buffer = orchestrator.getBean(TaskBuffer.class);
		for (Priority priority : Priority.values()) {
			buffered += buffer.events(priority);
		}
		return buffered;
	}

	private static List<TopicPartition> partitions(Admin admin, List<String> topics, IntPredicate explicit)
			throws InterruptedException, ExecutionException {
		List<TopicPartition> partitions = new ArrayList<>();
		for (TopicDescription description : admin.describeTopics(topics).allTopicNames().get().values()) {
			for (TopicPartitionInfo info : description.partitions()) {
				if (explicit == null || explicit.test(info.partition())) {
					partitions.add(new TopicPartition(description.name(), info.partition()));
				}
			}
		}
		return partitions;
	}

	private static Map<TopicPartition, Long> behind(Admin admin, String group, List<TopicPartition> partitions)
			throws InterruptedException, ExecutionException {
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		partitions.forEach((partition) -> latest.put(partition, OffsetSpec.latest()));
		Map<TopicPartition, Long> ends = new HashMap<>();
		admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
		Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
			.partitionsToOffsetAndMetadata()
			.get();
		Map<TopicPartition, Long> behind = new HashMap<>();
		ends.forEach((partition, end) -> {
			OffsetAndMetadata offset = committed.get(partition);
			long done = (offset != null) ? offset.offset() : 0;
			if (done < end) {
				behind.put(partition, end - done);
			}
		});
		return behind;
	}

	@Override
	public String toString() {
		return "Backlog[buffered=" + this.buffered + ", leased=" + this.leased + ", behind=" + this.behind + "]";
	}

}
