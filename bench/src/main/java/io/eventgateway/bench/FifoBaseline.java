package io.eventgateway.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.eventgateway.proto.v1.Event;

/**
 * What a user would build without the gateway's ordering: the gateway's own ingest and
 * publisher ({@link FifoGateway}) put every event on one topic, read by a plain consumer
 * group in offset order and processed at the same fixed capacity, by the same processor,
 * as the gateway's worker. It runs after the gateway in the same JVM, where the shared
 * code (ingest, the publisher, the Kafka clients) is already compiled, and is warmed up
 * for a short fixed time at half the capacity; its consumer owns every partition before
 * the first event is sent.
 */
final class FifoBaseline {

	private static final Duration ASSIGNMENT_TIMEOUT = Duration.ofSeconds(60);

	private final String bootstrapServers;

	private final BenchProcessor processor;

	FifoBaseline(String bootstrapServers, int capacityPerSecond) {
		this.bootstrapServers = bootstrapServers;
		this.processor = new BenchProcessor(capacityPerSecond);
	}

	/**
	 * Warms up as the plan says, then offers its load and waits until every accepted
	 * event is processed.
	 */
	Outcome run(OverloadPlan plan, PrintStream out) throws InterruptedException {
		try (FifoGateway gateway = FifoGateway.start(this.bootstrapServers);
				Reader reader = new Reader(this.bootstrapServers, this.processor)) {
			reader.awaitAssigned(ASSIGNMENT_TIMEOUT);
			GatewayLoad warmUp = gateway.load("fifo-warm-up");
			warmUp.run(plan.warmUpRate(), plan.warmUp(), plan.p30Share(), plan.p20Share());
			this.processor.awaitProcessed(warmUp.accepted(), Duration.ofMinutes(2));
			reader.checkAlive();
			this.processor.reset();
			out.println("overload: the same load through the FIFO baseline");
			GatewayLoad events = gateway.load("fifo");
			long start = System.nanoTime();
			events.run(plan.offered(), plan.load(), plan.p30Share(), plan.p20Share());
			long lost = this.processor.awaitProcessed(events.accepted(), plan.drainTimeout()) + events.refused();
			reader.checkAlive();
			double seconds = (System.nanoTime() - start) / 1e9;
			return new Outcome(this.processor.latencies(), lost, this.processor.processed().size() / seconds, seconds,
					reader.undecodable());
		}
	}

	/**
	 * @param latencies from intended send time to processing, per offered priority, over
	 * the load and the drain
	 * @param lost accepted events never processed, plus events ingest refused
	 * @param goodput events processed per second from the first offer to the last
	 * processed
	 * @param seconds from the first offer to the last processed
	 * @param undecodable records of the topic that were not events (should be 0)
	 */
	record Outcome(Latencies latencies, long lost, double goodput, double seconds, long undecodable) {
	}

	/**
	 * The plain consumer: one thread, subscribed to the one topic, handing every record
	 * in offset order to the processor, which takes its share of the capacity. Offsets
	 * are committed automatically, as a simple consumer would.
	 */
	private static final class Reader implements AutoCloseable {

		private final KafkaConsumer<String, byte[]> consumer;

		private final BenchProcessor processor;

		private final CountDownLatch assigned = new CountDownLatch(1);

		private final AtomicLong undecodable = new AtomicLong();

		private final Thread thread;

		private volatile boolean stopping;

		private volatile RuntimeException failure;

		Reader(String bootstrapServers, BenchProcessor processor) {
			this.processor = processor;
			this.consumer = new KafkaConsumer<>(
					Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
							"fifo-baseline", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
							ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50"),
					new StringDeserializer(), new ByteArrayDeserializer());
			this.thread = new Thread(this::run, "fifo-baseline-reader");
			this.thread.start();
		}

		void awaitAssigned(Duration timeout) throws InterruptedException {
			if (!this.assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(
						"the FIFO baseline's consumer owns no partition of " + FifoGateway.TOPIC + " after " + timeout);
			}
		}

		/** Throws what stopped the reader, if something did. */
		void checkAlive() {
			RuntimeException stopped = this.failure;
			if (stopped != null) {
				throw new IllegalStateException("the FIFO baseline's reader stopped", stopped);
			}
		}

		long undecodable() {
			return this.undecodable.get();
		}

		private void run() {
			try {
				this.consumer.subscribe(List.of(FifoGateway.TOPIC), new ConsumerRebalanceListener() {

					@Override
					public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
					}

					@Override
					public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
						if (!partitions.isEmpty()) {
							Reader.this.assigned.countDown();
						}
					}

				});
				while (!this.stopping) {
					for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(100))) {
						handle(record);
					}
				}
			}
			catch (WakeupException ex) {
				// Closing.
			}
			catch (RuntimeException ex) {
				// The baseline's only reader: its end must fail the run loudly, not leave
				// the run waiting for events it will never process.
				this.failure = ex;
				System.err.println("The FIFO baseline's reader stopped: " + ex);
			}
			finally {
				this.consumer.close();
			}
		}

		private void handle(ConsumerRecord<String, byte[]> record) {
			if (record.value() == null) {
				this.undecodable.incrementAndGet();
				return;
			}
			try {
				this.processor.process(Event.parseFrom(record.value()));
			}
			catch (InvalidProtocolBufferException ex) {
				// Not an event: counted, and it costs only itself.
				this.undecodable.incrementAndGet();
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.stopping = true;
			this.consumer.wakeup();
			this.thread.join(TimeUnit.SECONDS.toMillis(30));
		}

	}

}
