package io.eventgateway.orchestrator.intake;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.google.protobuf.InvalidProtocolBufferException;
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

import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.Event;

/**
 * Reads one source topic into the task state controller and commits each partition as far
 * as its tracker allows.
 *
 * <p>
 * A plain consumer loop rather than a listener container: records stay in flight long
 * after the poll that returned them, and the commit position comes from the
 * {@link OffsetTrackers}, not from the poll loop. Runs on its own thread; {@link #stop()}
 * may be called from any thread.
 */
public class SourceConsumer implements StoppableLoop {

	private static final Log logger = LogFactory.getLog(SourceConsumer.class);

	/**
	 * Bounds the final commit and the close, so that a lost broker cannot hold up
	 * shutdown.
	 */
	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private final Consumer<String, byte[]> consumer;

	private final String topic;

	private final TaskStateController controller;

	private final OffsetTrackers offsets;

	private final Duration pollTimeout;

	private final Map<TopicPartition, Long> committed = new HashMap<>();

	private volatile boolean running = true;

	public SourceConsumer(Consumer<String, byte[]> consumer, String topic, TaskStateController controller,
			OffsetTrackers offsets, Duration pollTimeout) {
		this.consumer = consumer;
		this.topic = topic;
		this.controller = controller;
		this.offsets = offsets;
		this.pollTimeout = pollTimeout;
	}

	@Override
	public void run() {
		try {
			this.consumer.subscribe(List.of(this.topic), new Rebalance());
			while (this.running) {
				ConsumerRecords<String, byte[]> records = this.consumer.poll(this.pollTimeout);
				if (!records.isEmpty()) {
					this.controller.accept(decode(records));
				}
				commitAsync();
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

	private List<BufferedTask> decode(ConsumerRecords<String, byte[]> records) {
		List<BufferedTask> tasks = new ArrayList<>(records.count());
		for (ConsumerRecord<String, byte[]> record : records) {
			Position position = new Position(record.topic(), record.partition(), record.offset());
			try {
				tasks.add(BufferedTask.of(Event.parseFrom(record.value()), position, record.value().length));
			}
			catch (InvalidProtocolBufferException | IllegalArgumentException | NullPointerException ex) {
				// Nothing the gateway produced: keep it from blocking the partition. It
				// stays on
				// the topic for inspection; dead-lettering it is the retry stage's job.
				logger.error("Skipping undecodable record at " + position + ": " + ex.getMessage());
			}
		}
		return tasks;
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
		}

		private void forget(Collection<TopicPartition> partitions) {
			SourceConsumer.this.controller.revoked(partitions);
			partitions.forEach(SourceConsumer.this.committed::remove);
		}

	}

}
