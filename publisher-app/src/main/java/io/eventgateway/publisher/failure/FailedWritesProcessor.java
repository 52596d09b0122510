package io.eventgateway.publisher.failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;

/**
 * Moves events from the failed-writes topic (fallback cluster) back to their intended
 * topics on the primary cluster. A batch is committed only after every event of it is
 * acknowledged by the primary or, after repeated failures, stored in the spool; until
 * then the batch is read again.
 *
 * <p>
 * Runs on its own thread; {@link #stop()} may be called from any thread.
 */
public class FailedWritesProcessor implements StoppableLoop {

	private static final Log logger = LogFactory.getLog(FailedWritesProcessor.class);

	private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

	private final Consumer<String, byte[]> consumer;

	private final String failedWritesTopic;

	private final ClusterProducers primary;

	private final EventSpool spool;

	private final Settings settings;

	private final AtomicLong republished = new AtomicLong();

	private final AtomicLong spooled = new AtomicLong();

	private volatile boolean running = true;

	public FailedWritesProcessor(Consumer<String, byte[]> consumer, String failedWritesTopic, ClusterProducers primary,
			EventSpool spool, Settings settings) {
		this.consumer = consumer;
		this.failedWritesTopic = failedWritesTopic;
		this.primary = primary;
		this.spool = spool;
		this.settings = settings;
	}

	@Override
	public void run() {
		try {
			this.consumer.subscribe(List.of(this.failedWritesTopic));
			while (this.running) {
				ConsumerRecords<String, byte[]> records = this.consumer.poll(POLL_TIMEOUT);
				if (!records.isEmpty()) {
					process(records);
				}
			}
		}
		catch (WakeupException ex) {
			// stop() was called.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.consumer.wakeup();
	}

	/** Events moved back to the primary cluster since start. */
	public long republishedCount() {
		return this.republished.get();
	}

	/** Events moved to the spool after repeated failures since start. */
	public long spooledCount() {
		return this.spooled.get();
	}

	private void process(ConsumerRecords<String, byte[]> records) throws InterruptedException {
		List<ConsumerRecord<String, byte[]>> pending = new ArrayList<>();
		records.forEach(pending::add);
		Duration backoff = this.settings.initialBackoff();
		for (int attempt = 1; !pending.isEmpty() && this.running; attempt++) {
			pending = republish(pending);
			if (pending.isEmpty()) {
				break;
			}
			if (attempt >= this.settings.maxAttempts()) {
				pending = spool(pending);
				break;
			}
			logger.warn(pending.size() + " failed writes could not be republished (attempt " + attempt
					+ "); retrying in " + backoff.toMillis() + " ms");
			// A deliberate pause between attempts against a cluster that just failed.
			Thread.sleep(backoff.toMillis());
			backoff = backoff.multipliedBy(2).compareTo(this.settings.maxBackoff()) > 0 ? this.settings.maxBackoff()
					: backoff.multipliedBy(2);
		}
		if (pending.isEmpty()) {
			this.consumer.commitSync(nextOffsets(records));
		}
		else {
			// Stopping, or the spool failed too: read the batch again later rather than
			// lose it.
			for (TopicPartition partition : records.partitions()) {
				this.consumer.seek(partition, records.records(partition).get(0).offset());
			}
		}
	}

	/** Sends the records to the primary cluster and returns those that failed. */
	private List<ConsumerRecord<String, byte[]>> republish(List<ConsumerRecord<String, byte[]>> records)
			throws InterruptedException {
		List<CompletableFuture<?>> sends = new ArrayList<>(records.size());
		for (ConsumerRecord<String, byte[]> record : records) {
			sends.add(send(record));
		}
		List<ConsumerRecord<String, byte[]>> failed = new ArrayList<>();
		for (int i = 0; i < records.size(); i++) {
			try {
				sends.get(i).get(this.settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
				this.republished.incrementAndGet();
			}
			catch (InterruptedException ex) {
				throw ex;
			}
			catch (Exception ex) {
				failed.add(records.get(i));
			}
		}
		return failed;
	}

	private CompletableFuture<?> send(ConsumerRecord<String, byte[]> record) {
		try {
			Event event = Event.parseFrom(record.value());
			String topic = GatewayHeaders.getString(record.headers(), GatewayHeaders.INTENDED_TOPIC);
			return this.primary.forLane(Lane.of(event)).send(new ProducerRecord<>(topic, record.key(), record.value()));
		}
		catch (Exception ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/** Spools the records and returns those the spool refused too. */
	private List<ConsumerRecord<String, byte[]>> spool(List<ConsumerRecord<String, byte[]>> records) {
		List<ConsumerRecord<String, byte[]>> failed = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			try {
				this.spool.write(Event.parseFrom(record.value()),
						GatewayHeaders.getString(record.headers(), GatewayHeaders.INTENDED_TOPIC));
				this.spooled.incrementAndGet();
			}
			catch (Exception ex) {
				logger.error("Failed write at " + record.topic() + "-" + record.partition() + "@" + record.offset()
						+ " could not be spooled either; it is read again: " + ex.getMessage());
				failed.add(record);
			}
		}
		return failed;
	}

	private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (TopicPartition partition : records.partitions()) {
			List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
			offsets.put(partition,
					new OffsetAndMetadata(partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
		}
		return offsets;
	}

	/**
	 * How hard to try before spooling.
	 *
	 * @param maxAttempts republish attempts per batch before the failures are spooled
	 * @param initialBackoff the wait after the first failed attempt, doubled each time
	 * @param maxBackoff the longest wait between attempts
	 * @param writeTimeout how long one write may take
	 */
	public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration writeTimeout) {
	}

}
