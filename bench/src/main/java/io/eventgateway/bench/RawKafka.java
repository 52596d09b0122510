package io.eventgateway.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;

import io.eventgateway.bench.load.LoadGenerator;
import io.eventgateway.bench.load.LoadMain;
import io.eventgateway.bench.load.LoadOutcome;
import io.eventgateway.bench.load.RawProducer;

/**
 * Kafka on its own, with the producer settings the gateway's publisher uses (acks=all,
 * idempotence) and the load generator's linger: what a user would get without the
 * gateway. Records are produced by the same load generator JVM that loads the gateway,
 * and consumed in this JVM, where the gateway's workers run, so that both paths are
 * measured under the same conditions.
 */
final class RawKafka {

	static final int RECORD_BYTES = LoadMain.RECORD_BYTES;

	private final String bootstrapServers;

	private final LoadGenerator generator;

	/**
	 * How long the reader may take, after the last measured record was sent, to see all.
	 */
	private static final Duration READ_AFTER_LAST_SENT = Duration.ofMinutes(2);

	private final AtomicLong received = new AtomicLong();

	RawKafka(String bootstrapServers, LoadGenerator generator) {
		this.bootstrapServers = bootstrapServers;
		this.generator = generator;
	}

	/**
	 * Records consumed so far by {@link #consume} and {@link #endToEnd}, for a series.
	 */
	long received() {
		return this.received.get();
	}

	/** Producer throughput: as fast as the producer goes, for {@code duration}. */
	Produced produce(String topic, Duration duration) throws IOException, InterruptedException {
		LoadOutcome outcome = this.generator.kafka("raw-" + topic, this.bootstrapServers, topic, 0, duration);
		return new Produced(outcome.offered(), outcome.accepted(), outcome.refused(),
				Math.max(duration.toMillis() / 1000.0, outcome.sendSeconds()));
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
					this.received.incrementAndGet();
				}
			}
		}
		return new Consumed(seen.cardinality(), (System.nanoTime() - start) / 1e9, expected - seen.cardinality());
	}

	/**
	 * Produce-to-consume latency at a fixed rate, measured from each record's intended
	 * send time (no coordinated omission), after a warm-up at the same rate whose records
	 * are not counted; {@code measuring} runs as the measured records start.
	 */
	EndToEnd endToEnd(String topic, int ratePerSecond, SettlingWarmUp warmUp, Duration duration, Runnable measuring)
			throws IOException, InterruptedException {
		Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
		AtomicLong measuredFromMicros = new AtomicLong(Long.MAX_VALUE);
		AtomicLong measured = new AtomicLong();
		AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		CountDownLatch assigned = new CountDownLatch(1);
		// Set once the last measured record was sent (the warm-up may take up to its
		// limit), or at once when this fails.
		AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
		Thread reader = new Thread(() -> {
			try (KafkaConsumer<Long, byte[]> consumer = consumer("latency-" + topic)) {
				consumer.subscribe(List.of(topic));
				while (measured.get() < expected.get() && System.nanoTime() < deadline.get()) {
					var records = consumer.poll(Duration.ofMillis(50));
					if (!consumer.assignment().isEmpty()) {
						assigned.countDown();
					}
					for (ConsumerRecord<Long, byte[]> record : records) {
						long nowMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
						this.received.incrementAndGet();
						if (record.key() >= measuredFromMicros.get()) {
							synchronized (histogram) {
								histogram.recordValue(Math.max(0,
										Math.min(nowMicros - record.key(), histogram.getHighestTrackableValue())));
							}
							measured.incrementAndGet();
						}
					}
				}
			}
			catch (RuntimeException ex) {
				failure.set(ex);
			}
			finally {
				assigned.countDown();
			}
		}, "raw-latency-reader");
		reader.setDaemon(true);
		reader.start();
		SettlingWarmUp.Warmed warmed;
		try {
			// The clock starts once the reader owns the partitions, so joining its group
			// is
			// not counted as latency.
			assigned.await(60, TimeUnit.SECONDS);
			AtomicLong steps = new AtomicLong();
			warmed = warmUp.run((length) -> {
				failIfStopped(reader, failure);
				this.generator.kafka("raw-warm-up-" + steps.incrementAndGet() + "-" + topic, this.bootstrapServers,
						topic, ratePerSecond, length);
			});
			failIfStopped(reader, failure);
			// Records intended from now on are the measured ones.
			measuring.run();
			measuredFromMicros.set(TimeUnit.NANOSECONDS.toMicros(System.nanoTime()));
			LoadOutcome outcome = this.generator.kafka("raw-latency-" + topic, this.bootstrapServers, topic,
					ratePerSecond, duration);
			expected.set(outcome.accepted());
			deadline.set(System.nanoTime() + READ_AFTER_LAST_SENT.toNanos());
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			// The reader stops at its next poll instead of waiting for records that never
			// come.
			deadline.set(System.nanoTime());
			throw ex;
		}
		reader.join();
		if (failure.get() != null) {
			throw new IllegalStateException("The raw Kafka latency reader failed", failure.get());
		}
		if (measured.get() < expected.get()) {
			throw new IllegalStateException("The raw Kafka latency reader saw " + measured.get() + " of the "
					+ expected.get() + " measured records within " + READ_AFTER_LAST_SENT.toMinutes()
					+ " minutes after the last was sent");
		}
		return new EndToEnd(histogram, warmed);
	}

	private static void failIfStopped(Thread reader, AtomicReference<Throwable> failure) {
		if (failure.get() != null) {
			throw new IllegalStateException("The raw Kafka latency reader failed", failure.get());
		}
		if (!reader.isAlive()) {
			throw new IllegalStateException("The raw Kafka latency reader stopped before the measured records");
		}
	}

	/**
	 * Produce-to-consume latencies and the warm-up before them.
	 *
	 * @param latency each measured record's, in microseconds
	 * @param warmUp how the warm-up went
	 */
	record EndToEnd(Histogram latency, SettlingWarmUp.Warmed warmUp) {
	}

	/**
	 * A producer with the publisher's settings (acks=all, idempotence, 64 KB batches) and
	 * the load generator's linger, for every benchmark that writes to Kafka directly.
	 */
	static KafkaProducer<Long, byte[]> producer(String bootstrapServers) {
		return RawProducer.create(bootstrapServers);
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
	 * @param seconds how long sending took
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
