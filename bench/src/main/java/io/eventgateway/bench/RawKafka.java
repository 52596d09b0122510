package io.eventgateway.bench;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;

/**
 * Kafka on its own, with the producer settings the gateway's publisher uses (acks=all,
 * idempotence, a 5 ms linger): what a user would get without the gateway.
 */
final class RawKafka {

	static final int RECORD_BYTES = 512;

	private final String bootstrapServers;

	RawKafka(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/** Producer throughput: as fast as the producer goes, for {@code duration}. */
	Produced produce(String topic, Duration duration) {
		byte[] value = new byte[RECORD_BYTES];
		AtomicLong acknowledged = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long sent = 0;
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		try (KafkaProducer<Long, byte[]> producer = producer(this.bootstrapServers)) {
			while (System.nanoTime() < end) {
				producer.send(new ProducerRecord<>(topic, sent, value), (metadata, exception) -> {
					(exception == null ? acknowledged : failed).incrementAndGet();
				});
				sent++;
			}
			producer.flush();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Produced(sent, acknowledged.get(), failed.get(), seconds);
	}

	/** Reads a topic until {@code expected} sequence numbers were seen, or a timeout. */
	Consumed consume(String topic, long expected, Duration timeout) {
		BitSet seen = new BitSet();
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		try (KafkaConsumer<Long, byte[]> consumer = consumer("raw-" + topic)) {
			consumer.subscribe(List.of(topic));
			while (seen.cardinality() < expected && System.nanoTime() < deadline) {
				for (ConsumerRecord<Long, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					seen.set(record.key().intValue());
				}
			}
		}
		return new Consumed(seen.cardinality(), (System.nanoTime() - start) / 1e9, expected - seen.cardinality());
	}

	/**
	 * Produce-to-consume latency at a fixed rate, measured from each record's intended
	 * send time (no coordinated omission).
	 */
	Histogram endToEnd(String topic, int ratePerSecond, Duration duration) throws InterruptedException {
		Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
		long total = (long) ratePerSecond * duration.toSeconds();
		long intervalNanos = 1_000_000_000L / ratePerSecond;
		CountDownLatch assigned = new CountDownLatch(1);
		Thread reader = new Thread(() -> {
			try (KafkaConsumer<Long, byte[]> consumer = consumer("latency-" + topic)) {
				consumer.subscribe(List.of(topic));
				long received = 0;
				long deadline = System.nanoTime() + duration.toNanos() + TimeUnit.SECONDS.toNanos(30);
				while (received < total && System.nanoTime() < deadline) {
					ConsumerRecords<Long, byte[]> records = consumer.poll(Duration.ofMillis(50));
					if (!consumer.assignment().isEmpty()) {
						assigned.countDown();
					}
					for (ConsumerRecord<Long, byte[]> record : records) {
						long nowMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
						synchronized (histogram) {
							histogram.recordValue(Math.max(0,
									Math.min(nowMicros - record.key(), histogram.getHighestTrackableValue())));
						}
						received++;
					}
				}
			}
		}, "raw-latency-reader");
		reader.start();
		// The clock starts once the reader owns the partitions, so joining its group is
		// not counted as latency.
		assigned.await(30, TimeUnit.SECONDS);
		byte[] value = new byte[RECORD_BYTES];
		try (KafkaProducer<Long, byte[]> producer = producer(this.bootstrapServers)) {
			long start = System.nanoTime();
			for (long i = 0; i < total; i++) {
				long intended = start + i * intervalNanos;
				long wait = intended - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				producer.send(new ProducerRecord<>(topic, TimeUnit.NANOSECONDS.toMicros(intended), value));
			}
		}
		reader.join();
		return histogram;
	}

	/**
	 * A producer with the publisher's settings (acks=all, idempotence, linger 5 ms, 64 KB
	 * batches), for every benchmark that writes to Kafka directly.
	 */
	static KafkaProducer<Long, byte[]> producer(String bootstrapServers) {
		Properties properties = new Properties();
		properties.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG,
				"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", ProducerConfig.LINGER_MS_CONFIG, "5",
				ProducerConfig.BATCH_SIZE_CONFIG, "65536"));
		return new KafkaProducer<>(properties, new LongSerializer(), new ByteArraySerializer());
	}

	private KafkaConsumer<Long, byte[]> consumer(String group) {
		return new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
						ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"),
				new LongDeserializer(), new ByteArrayDeserializer());
	}

	/**
	 * @param sent records handed to the producer
	 * @param acknowledged records the broker acknowledged
	 * @param failed records the broker refused
	 * @param seconds how long it took, flush included
	 */
	record Produced(long sent, long acknowledged, long failed, double seconds) {

		double recordsPerSecond() {
			return this.acknowledged / this.seconds;
		}

		double megabytesPerSecond() {
			return recordsPerSecond() * RECORD_BYTES / (1024 * 1024);
		}

	}

	/**
	 * @param records distinct records read
	 * @param seconds how long it took
	 * @param missing acknowledged records never read
	 */
	record Consumed(long records, double seconds, long missing) {
	}

}
