package io.eventgateway.orchestrator.lag;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.PeriodicTask;

/**
 * Every interval, measures how far the orchestrator's consumer groups trail their
 * partitions, from the cluster's own records rather than from the source loops: end
 * offsets and committed offsets through an admin client of its own, and the timestamp of
 * the oldest unfinished record through a consumer of its own that belongs to no group. So
 * the figures keep coming while a source is paused, stopped or dead, which is when they
 * matter.
 *
 * <p>
 * A round costs one committed-offsets request (all groups at once) and one end-offsets
 * request, one log-start request only for partitions without a commit, and a read of one
 * record only for lagging partitions whose committed offset moved since the last round,
 * bounded in time. A round that fails is logged and counted by the {@code lag-probe} loop
 * and leaves the last figures in place; their ages keep rising, since an age is computed
 * when read. An oldest record that could not be read keeps the last one known of its
 * partition (an older one, so its age errs towards alarming), else its age is unknown
 * (NaN), and the round counts as failed. A partition no longer found loses its meters.
 */
public class LagProbe extends PeriodicTask implements AutoCloseable {

	/**
	 * The longest any request of a round may take. Not tied to the interval: the first
	 * rounds look up a coordinator per group, which a short interval would not allow, and
	 * a round that takes longer only delays the next.
	 */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	/** The longest the reads of oldest records may take in one round. */
	private static final Duration MAX_READ_WAIT = Duration.ofSeconds(2);

	private final Admin admin;

	private final Consumer<byte[], byte[]> consumer;

	private final List<ProbedGroup> groups;

	private final SourceLagMeters meters;

	private final Clock clock;

	private final Object clients = new Object();

	private boolean closed;

	/**
	 * @param admin the probe's own admin client
	 * @param consumer the probe's own consumer, in no group and never committing
	 * @param groups the groups to report
	 * @param interval the time between rounds
	 * @param meters where each round's figures go
	 * @param clock the time source for read deadlines
	 * @param monitor where the probe's rounds are reported
	 */
	public LagProbe(Admin admin, Consumer<byte[], byte[]> consumer, List<ProbedGroup> groups, Duration interval,
			SourceLagMeters meters, Clock clock, LoopMonitor monitor) {
		super("lag-probe", () -> interval, monitor);
		this.admin = admin;
		this.consumer = consumer;
		this.groups = List.copyOf(groups);
		this.meters = meters;
		this.clock = clock;
	}

	@Override
	protected void runOnce() throws Exception {
		synchronized (this.clients) {
			if (!this.closed) {
				try {
					probe();
				}
				catch (InterruptException ex) {
					// The Kafka clients' form of an interrupt: the task is being stopped.
					Thread.currentThread().interrupt();
					throw new InterruptedException("lag probe stopped");
				}
			}
		}
	}

	private void probe() throws Exception {
		Duration timeout = REQUEST_TIMEOUT;
		Map<String, List<TopicPartition>> partitionsByGroup = partitions(timeout);
		Map<TopicPartition, Long> committed = committed(partitionsByGroup, timeout);
		List<TopicPartition> all = partitionsByGroup.values().stream().flatMap(List::stream).toList();
		Map<TopicPartition, Long> ends = offsets(all, OffsetSpec.latest(), timeout);
		List<TopicPartition> uncommitted = all.stream()
			.filter((partition) -> ends.containsKey(partition) && committed.get(partition) == null)
			.toList();
		Map<TopicPartition, Long> starts = uncommitted.isEmpty() ? Map.of()
				: offsets(uncommitted, OffsetSpec.earliest(), timeout);
		Map<TopicPartition, PartitionLag> round = new LinkedHashMap<>();
		Map<TopicPartition, Long> toRead = new HashMap<>();
		for (TopicPartition partition : all) {
			Long end = ends.get(partition);
			Long start = starts.get(partition);
			if (end == null || (committed.get(partition) == null && start == null)) {
				// Gone between the metadata and the offsets.
				continue;
			}
			long position = PartitionLag.position(committed.get(partition), (start != null) ? start : 0);
			PartitionLag last = this.meters.last(partition);
			Long oldest = null;
			if (end > position) {
				boolean sameRecord = last != null && last.position() == position;
				if (!sameRecord || last.oldestTimestamp() == null) {
					toRead.put(partition, position);
				}
				// Until read: the last known oldest record, written no later than the one
				// at a position further on, so its age errs towards alarming.
				if (last != null && last.position() <= position) {
					oldest = last.oldestTimestamp();
				}
			}
			round.put(partition, new PartitionLag(end, position, oldest));
		}
		Map<TopicPartition, Long> timestamps = toRead.isEmpty() ? Map.of() : timestamps(toRead);
		timestamps.forEach((partition, timestamp) -> {
			PartitionLag lag = round.get(partition);
			round.put(partition, new PartitionLag(lag.endOffset(), lag.position(), timestamp));
		});
		this.meters.update(round);
		Set<TopicPartition> unread = new HashSet<>(toRead.keySet());
		unread.removeAll(timestamps.keySet());
		if (!unread.isEmpty()) {
			throw new IllegalStateException("The oldest unfinished records of " + unread.size()
					+ " partitions could not be read within " + MAX_READ_WAIT + " (for example "
					+ unread.iterator().next() + "); their age is unknown until a later round reads them");
		}
	}

	/** Every partition each group reads, as the consumer's metadata knows them now. */
	private Map<String, List<TopicPartition>> partitions(Duration timeout) {
		Map<String, List<TopicPartition>> byGroup = new LinkedHashMap<>();
		for (ProbedGroup group : this.groups) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : group.topics()) {
				List<PartitionInfo> infos = this.consumer.partitionsFor(topic, timeout);
				for (PartitionInfo info : (infos != null) ? infos : List.<PartitionInfo>of()) {
					if (group.partitions().test(info.partition())) {
						partitions.add(new TopicPartition(topic, info.partition()));
					}
				}
			}
			byGroup.put(group.groupId(), partitions);
		}
		return byGroup;
	}

	/** The committed offset of each partition, {@code null} where its group has none. */
	private Map<TopicPartition, Long> committed(Map<String, List<TopicPartition>> partitionsByGroup, Duration timeout)
			throws Exception {
		Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
		partitionsByGroup.forEach((group, partitions) -> {
			if (!partitions.isEmpty()) {
				specs.put(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions));
			}
		});
		Map<TopicPartition, Long> committed = new HashMap<>();
		if (specs.isEmpty()) {
			return committed;
		}
		ListConsumerGroupOffsetsResult result = this.admin.listConsumerGroupOffsets(specs,
				new ListConsumerGroupOffsetsOptions().timeoutMs((int) timeout.toMillis()));
		Map<String, Map<TopicPartition, OffsetAndMetadata>> all = result.all()
			.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		all.values()
			.forEach((offsets) -> offsets.forEach((partition, offset) -> committed.put(partition,
					(offset != null && offset.offset() >= 0) ? offset.offset() : null)));
		return committed;
	}

	/**
	 * The offsets of a spec; a partition the cluster no longer knows is left out, any
	 * other failure fails the round.
	 */
	private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec, Duration timeout)
			throws Exception {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach((partition) -> request.put(partition, spec));
		ListOffsetsResult result = this.admin.listOffsets(request,
				new ListOffsetsOptions().timeoutMs((int) timeout.toMillis()));
		Map<TopicPartition, Long> offsets = new HashMap<>();
		for (TopicPartition partition : partitions) {
			try {
				offsets.put(partition,
						result.partitionResult(partition).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset());
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
					throw ex;
				}
			}
		}
		return offsets;
	}

	/**
	 * The timestamps of the records at the given offsets (or the first record after, when
	 * that one is gone), as many as can be read within {@link #MAX_READ_WAIT}.
	 */
	private Map<TopicPartition, Long> timestamps(Map<TopicPartition, Long> offsets) {
		Map<TopicPartition, Long> timestamps = new HashMap<>();
		this.consumer.assign(offsets.keySet());
		try {
			offsets.forEach(this.consumer::seek);
			long deadline = this.clock.millis() + MAX_READ_WAIT.toMillis();
			long left = MAX_READ_WAIT.toMillis();
			while (timestamps.size() < offsets.size() && left > 0) {
				for (ConsumerRecord<byte[], byte[]> record : this.consumer.poll(Duration.ofMillis(left))) {
					TopicPartition partition = new TopicPartition(record.topic(), record.partition());
					if (timestamps.putIfAbsent(partition, record.timestamp()) == null) {
						// One record is all it needs; fetch the others' instead.
						this.consumer.pause(List.of(partition));
					}
				}
				left = deadline - this.clock.millis();
			}
		}
		catch (WakeupException ex) {
			// Closing: the round ends with what it read.
		}
		finally {
			this.consumer.unsubscribe();
		}
		return timestamps;
	}

	@Override
	public void close() {
		// A round in progress wakes up from its read and ends before the clients close.
		this.consumer.wakeup();
		synchronized (this.clients) {
			this.closed = true;
			this.consumer.close(Duration.ofSeconds(2));
			this.admin.close(Duration.ofSeconds(2));
		}
	}

}
