package io.eventgateway.orchestrator.lag;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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
 * request, one log-start request only for partitions of subscribed groups without a
 * commit, and a read of one record only for lagging partitions whose oldest record is not
 * known exactly yet (its committed offset moved, or an earlier read fell short), bounded
 * in time and a few partitions at a time, those read longest ago first, so that a busy
 * gateway with big records spreads its reads over rounds instead of starving some.
 *
 * <p>
 * An oldest record not read in a round (beyond the read budget, or refused by the
 * cluster: an authorization error, a corrupt batch) keeps the last one known of its
 * partition (an older one, so its age errs towards alarming), else its age is unknown
 * (NaN); it is counted in {@code gateway.orchestrator.source.lag.probe.unread}, logged
 * once per round at WARN, and read again next round; the lag figures of the round stand.
 * A round whose offsets cannot be had fails: logged and counted by the {@code lag-probe}
 * loop, it leaves the last figures in place, whose ages keep rising; after
 * {@value #FAILED_ROUNDS_BEFORE_UNKNOWN} failed rounds in a row every figure reads NaN
 * until a round succeeds. A partition no longer found loses its meters.
 */
public class LagProbe extends PeriodicTask implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LagProbe.class);

	/**
	 * Failed rounds in a row after which the figures are unknown rather than stale: a
	 * replica whose probe is blind must not win the alerts' {@code max by}.
	 */
	static final int FAILED_ROUNDS_BEFORE_UNKNOWN = 3;

	/**
	 * The longest any request of a round may take. Not tied to the interval: the first
	 * rounds look up a coordinator per group, which a short interval would not allow, and
	 * a round that takes longer only delays the next.
	 */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	/** The longest the reads of oldest records may take in one round. */
	static final Duration MAX_READ_WAIT = Duration.ofSeconds(2);

	private final Admin admin;

	private final Consumer<byte[], byte[]> consumer;

	private final List<ProbedGroup> groups;

	private final SourceLagMeters meters;

	private final Clock clock;

	private final int readsAtOnce;

	private final Object clients = new Object();

	/**
	 * When each partition's oldest record was last asked for; the probe's thread only.
	 */
	private final Map<TopicPartition, Long> readAtMillis = new HashMap<>();

	private int failedRounds;

	private boolean closed;

	/**
	 * @param admin the probe's own admin client
	 * @param consumer the probe's own consumer, in no group and never committing
	 * @param groups the groups to report
	 * @param interval the time between rounds
	 * @param readsAtOnce how many partitions' oldest records are fetched at once (what
	 * the consumer's fetch size holds of one partition fetch each)
	 * @param meters where each round's figures go
	 * @param clock the time source for read deadlines
	 * @param monitor where the probe's rounds are reported
	 */
	public LagProbe(Admin admin, Consumer<byte[], byte[]> consumer, List<ProbedGroup> groups, Duration interval,
			int readsAtOnce, SourceLagMeters meters, Clock clock, LoopMonitor monitor) {
		super("lag-probe", () -> interval, monitor);
		this.admin = admin;
		this.consumer = consumer;
		this.groups = List.copyOf(groups);
		this.readsAtOnce = Math.max(1, readsAtOnce);
		this.meters = meters;
		this.clock = clock;
	}

	@Override
	protected void runOnce() throws Exception {
		synchronized (this.clients) {
			if (!this.closed) {
				try {
					probe();
					this.failedRounds = 0;
				}
				catch (InterruptException ex) {
					// The Kafka clients' form of an interrupt: the task is being stopped.
					Thread.currentThread().interrupt();
					throw new InterruptedException("lag probe stopped");
				}
				catch (Exception ex) {
					if (++this.failedRounds >= FAILED_ROUNDS_BEFORE_UNKNOWN) {
						this.meters.unknown();
					}
					throw ex;
				}
			}
		}
	}

	private void probe() throws Exception {
		Duration timeout = REQUEST_TIMEOUT;
		Map<String, List<TopicPartition>> partitionsByGroup = partitions(timeout);
		Map<TopicPartition, Long> committed = committed(partitionsByGroup, timeout);
		Set<TopicPartition> fromLogStart = new HashSet<>();
		for (ProbedGroup group : this.groups) {
			if (group.resumesAtLogStart()) {
				fromLogStart.addAll(partitionsByGroup.getOrDefault(group.groupId(), List.of()));
			}
		}
		List<TopicPartition> all = partitionsByGroup.values().stream().flatMap(List::stream).toList();
		Map<TopicPartition, Long> ends = offsets(all, OffsetSpec.latest(), timeout);
		List<TopicPartition> uncommitted = all.stream()
			.filter((partition) -> ends.containsKey(partition) && committed.get(partition) == null
					&& fromLogStart.contains(partition))
			.toList();
		Map<TopicPartition, Long> starts = uncommitted.isEmpty() ? Map.of()
				: offsets(uncommitted, OffsetSpec.earliest(), timeout);
		Map<TopicPartition, PartitionLag> round = new LinkedHashMap<>();
		Map<TopicPartition, Long> toRead = new HashMap<>();
		for (TopicPartition partition : all) {
			Long end = ends.get(partition);
			boolean resumesAtLogStart = fromLogStart.contains(partition);
			if (end == null
					|| (resumesAtLogStart && committed.get(partition) == null && starts.get(partition) == null)) {
				// Gone between the metadata and the offsets.
				continue;
			}
			Long position = PartitionLag.position(committed.get(partition), starts.get(partition), resumesAtLogStart);
			PartitionLag last = this.meters.last(partition);
			Long oldest = null;
			boolean exact = false;
			if (position != null && end > position) {
				boolean sameRecord = last != null && position.equals(last.position());
				exact = sameRecord && last.oldestExact();
				if (!exact) {
					toRead.put(partition, position);
				}
				// Until read: the last known oldest record, written no later than the one
				// at a position further on, so its age errs towards alarming.
				if (last != null && last.position() != null && last.position() <= position) {
					oldest = last.oldestTimestamp();
				}
			}
			round.put(partition, new PartitionLag(end, position, oldest, exact));
		}
		this.readAtMillis.keySet().retainAll(round.keySet());
		Reads reads = toRead.isEmpty() ? new Reads(Map.of(), Set.of(), null) : read(toRead);
		reads.timestamps()
			.forEach((partition, timestamp) -> round.put(partition, round.get(partition).read(timestamp)));
		this.meters.update(round);
		int unread = toRead.size() - reads.timestamps().size();
		if (unread > 0) {
			int failed = reads.failed().size();
			this.meters.unread(unread - failed, failed);
			logger.warn("Lag probe: the oldest unfinished records of " + unread + " of " + toRead.size()
					+ " partitions were not read this round (" + (unread - failed) + " beyond the "
					+ MAX_READ_WAIT.toMillis() + " ms read budget, " + failed + " refused"
					+ ((reads.failure() != null) ? ": " + reads.failure() : "")
					+ "); their ages stand on an older record until a later round reads them");
		}
	}

	/** Every partition each group reads, as the consumer's metadata knows them now. */
	private Map<String, List<TopicPartition>> partitions(Duration timeout) {
		Map<String, List<TopicPartition>> byGroup = new LinkedHashMap<>();
		// Listed once a round, and only when a group reads by pattern.
		Map<String, List<PartitionInfo>> listed = null;
		for (ProbedGroup group : this.groups) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : group.topics()) {
				add(partitions, group, this.consumer.partitionsFor(topic, timeout));
			}
			if (group.topicPattern() != null) {
				if (listed == null) {
					listed = new TreeMap<>(this.consumer.listTopics(timeout));
				}
				for (Map.Entry<String, List<PartitionInfo>> topic : listed.entrySet()) {
					if (group.topicPattern().matcher(topic.getKey()).matches()) {
						add(partitions, group, topic.getValue());
					}
				}
			}
			byGroup.put(group.groupId(), partitions);
		}
		return byGroup;
	}

	private static void add(List<TopicPartition> partitions, ProbedGroup group, List<PartitionInfo> infos) {
		for (PartitionInfo info : (infos != null) ? infos : List.<PartitionInfo>of()) {
			if (group.partitions().test(info.partition())) {
				partitions.add(new TopicPartition(info.topic(), info.partition()));
			}
		}
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
	 * that one is gone), as many as can be read within {@link #MAX_READ_WAIT}, a few
	 * partitions at a time, those asked for longest ago first. A read the cluster refuses
	 * ends that partition's read (or, when the failure names none, this round's reads);
	 * the others go on.
	 */
	private Reads read(Map<TopicPartition, Long> offsets) {
		Map<TopicPartition, Long> timestamps = new HashMap<>();
		Set<TopicPartition> failed = new HashSet<>();
		KafkaException failure = null;
		Deque<TopicPartition> waiting = new ArrayDeque<>(offsets.keySet()
			.stream()
			.sorted(Comparator.comparingLong((partition) -> this.readAtMillis.getOrDefault(partition, Long.MIN_VALUE)))
			.toList());
		Set<TopicPartition> reading = new HashSet<>();
		try {
			long deadline = this.clock.millis() + MAX_READ_WAIT.toMillis();
			long left = MAX_READ_WAIT.toMillis();
			boolean changed = true;
			while ((!waiting.isEmpty() || !reading.isEmpty()) && left > 0) {
				List<TopicPartition> added = new ArrayList<>();
				while (reading.size() < this.readsAtOnce && !waiting.isEmpty()) {
					TopicPartition next = waiting.poll();
					reading.add(next);
					added.add(next);
					this.readAtMillis.put(next, this.clock.millis());
				}
				if (changed || !added.isEmpty()) {
					// Only the partitions still to read, so that fetches go to them.
					this.consumer.assign(reading);
					added.forEach((partition) -> this.consumer.seek(partition, offsets.get(partition)));
					changed = false;
				}
				if (reading.isEmpty()) {
					break;
				}
				try {
					for (ConsumerRecord<byte[], byte[]> record : this.consumer.poll(Duration.ofMillis(left))) {
						TopicPartition partition = new TopicPartition(record.topic(), record.partition());
						if (reading.remove(partition)) {
							// One record is all it needs; fetch the others' instead.
							timestamps.put(partition, record.timestamp());
							changed = true;
						}
					}
				}
				catch (WakeupException | InterruptException ex) {
					throw ex;
				}
				catch (KafkaException ex) {
					failure = ex;
					Set<TopicPartition> refused = refused(ex, reading);
					if (refused.isEmpty()) {
						// Nothing says which partition: the rest waits for the next
						// round.
						failed.addAll(reading);
						break;
					}
					failed.addAll(refused);
					reading.removeAll(refused);
					changed = true;
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
		return new Reads(timestamps, failed, failure);
	}

	/** The partitions being read that a read failure names. */
	private static Set<TopicPartition> refused(KafkaException ex, Set<TopicPartition> reading) {
		Set<TopicPartition> refused = new HashSet<>();
		if (ex instanceof RecordDeserializationException deserialization) {
			refused.add(deserialization.topicPartition());
		}
		else if (ex instanceof TopicAuthorizationException authorization) {
			reading.stream()
				.filter((partition) -> authorization.unauthorizedTopics().contains(partition.topic()))
				.forEach(refused::add);
		}
		refused.retainAll(reading);
		return refused;
	}

	/**
	 * What a round's reads found.
	 *
	 * @param timestamps the timestamps read, by partition
	 * @param failed the partitions whose reads the cluster refused
	 * @param failure the last refusal, {@code null} when none
	 */
	private record Reads(Map<TopicPartition, Long> timestamps, Set<TopicPartition> failed, KafkaException failure) {
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
