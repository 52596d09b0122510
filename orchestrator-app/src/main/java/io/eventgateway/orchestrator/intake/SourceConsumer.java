package io.eventgateway.orchestrator.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.function.ObjLongConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.task.TaskStateController;

/**
 * Reads one source (a priority topic, the offload topic, or the retry topics) into the
 * task state controller and commits each partition as far as its tracker allows.
 *
 * <p>
 * A plain consumer loop rather than a listener container: records stay in flight long
 * after the poll that returned them, the commit position comes from the
 * {@link OffsetTrackers}, and partitions are paused for two independent reasons that must
 * survive rebalances: the source's gate (memory, offload room, retry switch) pauses all
 * of them, and a retry record that is not due yet holds its own partition (seeked back to
 * it) until it is. Before every poll the wanted pause state is applied to the current
 * assignment, so newly assigned partitions follow it too.
 *
 * <p>
 * Runs on its own thread; {@link #stop()} may be called from any thread.
 */
public class SourceConsumer implements StoppableLoop {

	private static final Log logger = LogFactory.getLog(SourceConsumer.class);

	/**
	 * Bounds the final commit and the close, so that a lost broker cannot hold up
	 * shutdown.
	 */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final Consumer<String, byte[]> consumer;

	private final Subscription subscription;

	private final TaskStateController controller;

	private final OffsetTrackers offsets;

	private final SourceState state;

	private final Clock clock;

	private final Duration pollTimeout;

	private final ObjLongConsumer<String> pollDelays;

	private final Map<TopicPartition, Long> committed = new HashMap<>();

	/**
	 * Partitions whose head record is a retry not yet due, with the epoch millis it is
	 * due at.
	 */
	private final Map<TopicPartition, Long> heldUntil = new HashMap<>();

	private final IntSupplier maxRecords;

	private volatile boolean running = true;

	/**
	 * @param consumer the Kafka consumer, used by this loop only
	 * @param subscription the topics, subscribed through the group or assigned explicitly
	 * @param controller where read tasks go
	 * @param offsets the offset trackers shared with the controller
	 * @param state this source's gate and visible state
	 * @param clock the time source for retry due times
	 * @param pollTimeout how long one poll waits
	 * @param pollDelays told, per topic, how old (in milliseconds) the first record of a
	 * poll was
	 * @param maxRecords the most records one poll hands on, read before every poll (a hot
	 * setting); records beyond it are read again by the next poll
	 */
	public SourceConsumer(Consumer<String, byte[]> consumer, Subscription subscription, TaskStateController controller,
			OffsetTrackers offsets, SourceState state, Clock clock, Duration pollTimeout,
			ObjLongConsumer<String> pollDelays, IntSupplier maxRecords) {
		this.maxRecords = maxRecords;
		this.consumer = consumer;
		this.subscription = subscription;
		this.controller = controller;
		this.offsets = offsets;
		this.state = state;
		this.clock = clock;
		this.pollTimeout = pollTimeout;
		this.pollDelays = pollDelays;
	}

	@Override
	public void run() {
		try {
			if (this.subscription.explicitPartitions() == null) {
				this.consumer.subscribe(this.subscription.topics(), new Rebalance());
			}
			else {
				List<TopicPartition> assigned = explicitAssignment();
				this.consumer.assign(assigned);
				this.offsets.assigned(assigned);
			}
			while (this.running) {
				applyPauses();
				ConsumerRecords<String, byte[]> records = this.consumer.poll(this.pollTimeout);
				if (!records.isEmpty()) {
					this.controller.accept(decode(records));
				}
				commitAsync();
				recordProgress();
			}
		}
		catch (WakeupException ex) {
			// stop() was called: fall through to the final commit.
		}
		finally {
			try {
				commitSync(this.consumer.assignment());
			}
			finally {
				this.consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
			}
		}
	}

	/** Ends the loop after a final commit; does not wait for it. */
	@Override
	public void stop() {
		this.running = false;
		this.consumer.wakeup();
	}

	private List<TopicPartition> explicitAssignment() {
		List<TopicPartition> assigned = new ArrayList<>();
		for (String topic : this.subscription.topics()) {
			this.consumer.partitionsFor(topic)
				.stream()
				.filter((info) -> this.subscription.explicitPartitions().test(info.partition()))
				.forEach((info) -> assigned.add(new TopicPartition(topic, info.partition())));
		}
		return assigned;
	}

	private void applyPauses() {
		long now = this.clock.millis();
		this.heldUntil.values().removeIf((dueAt) -> dueAt <= now);
		boolean mayRead = this.state.mayRead();
		Set<TopicPartition> assignment = this.consumer.assignment();
		Set<TopicPartition> wanted = new HashSet<>(mayRead ? this.heldUntil.keySet() : assignment);
		wanted.retainAll(assignment);
		Set<TopicPartition> paused = this.consumer.paused();
		List<TopicPartition> toPause = wanted.stream().filter((partition) -> !paused.contains(partition)).toList();
		List<TopicPartition> toResume = paused.stream().filter((partition) -> !wanted.contains(partition)).toList();
		if (!toPause.isEmpty()) {
			this.consumer.pause(toPause);
		}
		if (!toResume.isEmpty()) {
			this.consumer.resume(toResume);
		}
		this.state.heldPartitions(this.heldUntil.size());
	}

	private List<BufferedTask> decode(ConsumerRecords<String, byte[]> records) {
		List<BufferedTask> tasks = new ArrayList<>(records.count());
		long now = this.clock.millis();
		int limit = this.maxRecords.getAsInt();
		int taken = 0;
		for (TopicPartition partition : records.partitions()) {
			List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
			this.pollDelays.accept(partition.topic(), now - partitionRecords.get(0).timestamp());
			for (ConsumerRecord<String, byte[]> record : partitionRecords) {
				if (taken == limit) {
					// Over this poll's limit: the next poll returns the rest again.
					this.consumer.seek(partition, record.offset());
					break;
				}
				taken++;
				long dueAt = GatewayHeaders.getLong(record.headers(), GatewayHeaders.NOT_BEFORE, 0);
				if (dueAt > now) {
					// Retry records of a partition are due in order: hold the partition
					// at this one.
					this.consumer.seek(partition, record.offset());
					this.heldUntil.put(partition, dueAt);
					break;
				}
				BufferedTask task = decode(record);
				if (task != null) {
					tasks.add(task);
				}
			}
		}
		return tasks;
	}

	private BufferedTask decode(ConsumerRecord<String, byte[]> record) {
		try {
			return RecordDecoder.decode(record);
		}
		catch (RecordDecoder.UndecodableRecordException ex) {
			// Nothing the gateway produced: keep it from blocking the partition. It stays
			// on the topic for inspection.
			logger.error("Skipping " + ex.getMessage());
			Position position = ex.position();
			if (this.offsets.register(position.topicPartition(), position.offset())) {
				this.offsets.finish(position.topicPartition(), position.offset());
			}
			return null;
		}
	}

	private void commitAsync() {
		Map<TopicPartition, OffsetAndMetadata> due = due(this.consumer.assignment());
		if (!due.isEmpty()) {
			this.consumer.commitAsync(due, (offsets, failure) -> {
				if (failure != null) {
					logger.warn("Offset commit failed; it is retried on the next poll: " + failure.getMessage());
					offsets.keySet().forEach(this.committed::remove);
				}
			});
			due.forEach((partition, offset) -> this.committed.put(partition, offset.offset()));
		}
	}

	private void commitSync(Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> due = due(partitions);
		if (!due.isEmpty()) {
			try {
				this.consumer.commitSync(due, CLOSE_TIMEOUT);
				due.forEach((partition, offset) -> this.committed.put(partition, offset.offset()));
			}
			catch (RuntimeException ex) {
				logger.warn("Final offset commit failed; the records are read again: " + ex.getMessage());
			}
		}
	}

	private Map<TopicPartition, OffsetAndMetadata> due(Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
		for (TopicPartition partition : partitions) {
			OptionalLong committable = this.offsets.committable(partition);
			if (committable.isPresent() && committable.getAsLong() != this.committed.getOrDefault(partition, -1L)) {
				due.put(partition, new OffsetAndMetadata(committable.getAsLong()));
			}
		}
		return due;
	}

	private void recordProgress() {
		for (TopicPartition partition : this.consumer.assignment()) {
			OptionalLong lag = this.consumer.currentLag(partition);
			long endOffset = lag.isPresent() ? this.consumer.position(partition) + lag.getAsLong() : -1;
			this.state.progress(partition, this.committed.getOrDefault(partition, -1L), endOffset, lag.orElse(-1));
		}
	}

	/**
	 * What a source reads.
	 *
	 * @param topics the topics
	 * @param explicitPartitions {@code null} to subscribe through the consumer group;
	 * otherwise the partition numbers of each topic to assign explicitly, without group
	 * management
	 */
	public record Subscription(List<String> topics, IntPredicate explicitPartitions) {

		/** Group-managed subscription to the topics. */
		public static Subscription of(List<String> topics) {
			return new Subscription(topics, null);
		}

	}

	/** Runs on the consumer thread, inside poll(). */
	private final class Rebalance implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			commitSync(partitions);
			forget(partitions);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			// Another member may own them already: committing now could move its
			// position.
			forget(partitions);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			SourceConsumer.this.offsets.assigned(partitions);
			// Kafka resumes newly assigned partitions; the source's pause state applies
			// to them
			// from the next poll on (applyPauses runs before every poll).
		}

		private void forget(Collection<TopicPartition> partitions) {
			SourceConsumer.this.controller.revoked(partitions);
			for (TopicPartition partition : partitions) {
				SourceConsumer.this.committed.remove(partition);
				SourceConsumer.this.heldUntil.remove(partition);
				SourceConsumer.this.state.forget(partition);
			}
		}

	}

}
