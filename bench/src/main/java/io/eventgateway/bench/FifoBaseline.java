package io.eventgateway.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;

import io.eventgateway.common.event.Priority;

/**
 * What a user would build without the gateway: every event on one topic, read by a plain
 * consumer group in offset order, processed at the same fixed capacity.
 */
final class FifoBaseline {

	private final String bootstrapServers;

	private final String topic;

	private final long nanosPerEvent;

	FifoBaseline(String bootstrapServers, String topic, int capacityPerSecond) {
		this.bootstrapServers = bootstrapServers;
		this.topic = topic;
		this.nanosPerEvent = 1_000_000_000L / capacityPerSecond;
	}

	Outcome run(int rate, Duration duration, double p30Share, double p20Share, Duration drainTimeout)
			throws InterruptedException {
		Latencies latencies = new Latencies();
		long total = rate * duration.toMillis() / 1000;
		BitSet seen = new BitSet();
		Thread consumer = new Thread(() -> consume(total, latencies, seen, drainTimeout.plus(duration)),
				"fifo-consumer");
		consumer.start();
		long intervalNanos = 1_000_000_000L / rate;
		try (KafkaProducer<Long, byte[]> producer = RawKafka.producer(this.bootstrapServers)) {
			long start = System.nanoTime();
			for (long i = 0; i < total; i++) {
				long intended = start + i * intervalNanos;
				long wait = intended - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				double share = ((i * 7919) % 1000) / 1000.0;
				Priority priority = (share < p30Share) ? Priority.P30
						: (share < p30Share + p20Share) ? Priority.P20 : Priority.P10;
				byte[] value = ByteBuffer.allocate(9)
					.put((byte) priority.ordinal())
					.putLong(TimeUnit.NANOSECONDS.toMicros(intended))
					.array();
				producer.send(new ProducerRecord<>(this.topic, i, value));
			}
		}
		consumer.join();
		long lost;
		synchronized (seen) {
			// Every offered event counts: one the baseline failed to produce is lost too.
			lost = total - seen.cardinality();
		}
		return new Outcome(latencies, lost);
	}

	private void consume(long total, Latencies latencies, BitSet seen, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long nextFree = System.nanoTime();
		try (KafkaConsumer<Long, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"fifo", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
						ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50"),
				new LongDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(this.topic));
			long count = 0;
			while (count < total && System.nanoTime() < deadline) {
				for (ConsumerRecord<Long, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
					nextFree = Math.max(nextFree, System.nanoTime()) + this.nanosPerEvent;
					LockSupport.parkNanos(nextFree - System.nanoTime());
					ByteBuffer value = ByteBuffer.wrap(record.value());
					Priority priority = Priority.values()[value.get()];
					latencies.record(priority, TimeUnit.NANOSECONDS.toMicros(System.nanoTime()) - value.getLong());
					synchronized (seen) {
						seen.set(record.key().intValue());
					}
					count++;
				}
			}
		}
	}

	/**
	 * @param latencies from intended send time to processing, per priority
	 * @param lost offered records never processed
	 */
	record Outcome(Latencies latencies, long lost) {
	}

}
