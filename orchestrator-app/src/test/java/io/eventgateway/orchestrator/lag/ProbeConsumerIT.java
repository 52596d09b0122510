package io.eventgateway.orchestrator.lag;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.test.KafkaTestBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lag probe's consumer, on a real broker, against what made it hold a burst's worth
 * of events outside the memory thresholds: a compressed batch of large events, all of
 * which one poll used to materialise (twice each: the value, and the record's own buffer
 * its headers keep).
 */
class ProbeConsumerIT {

	private final String topic = "probe-consumer-it-" + System.nanoTime() + ".p10";

	private static final int EVENTS = 24;

	private static final int EVENT_BYTES = 128 * 1024;

	@Test
	void aPollOfACompressedBatchOfLargeEventsHoldsOneRecordWithoutItsKeyOrValue() throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(this.topic, 1, (short) 1))).all().get();
		}
		List<RecordMetadata> written = produceOneZstdBatch();
		// One batch: every event shares the first one's batch, so one fetch brings them
		// all.
		assertThat(written).extracting(RecordMetadata::offset).startsWith(0L).hasSize(EVENTS);

		TopicPartition partition = new TopicPartition(this.topic, 0);
		try (KafkaConsumer<byte[], byte[]> consumer = ProbeConsumer
			.create(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()), 0)) {
			consumer.assign(List.of(partition));
			consumer.seek(partition, 0);
			List<ConsumerRecords<byte[], byte[]>> polls = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
				ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
				polls.add(records);
				return !records.isEmpty();
			});
			ConsumerRecords<byte[], byte[]> first = polls.get(polls.size() - 1);

			assertThat(first.count()).isOne();
			ConsumerRecord<byte[], byte[]> record = first.iterator().next();
			assertThat(record.offset()).isZero();
			assertThat(record.timestamp()).isEqualTo(written.get(0).timestamp());
			assertThat(record.key()).isNull();
			assertThat(record.value()).isNull();
			// The rest of the batch is still there for the next poll, one at a time.
			assertThat(consumer.poll(Duration.ofSeconds(5))).singleElement()
				.extracting(ConsumerRecord::offset)
				.isEqualTo(1L);
		}
	}

	private List<RecordMetadata> produceOneZstdBatch() throws Exception {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
				ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd", ProducerConfig.BATCH_SIZE_CONFIG, 8 * 1024 * 1024,
				ProducerConfig.LINGER_MS_CONFIG, 60_000, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
		byte[] value = "a compressible event payload ".repeat(EVENT_BYTES / 29 + 1)
			.substring(0, EVENT_BYTES)
			.getBytes(StandardCharsets.US_ASCII);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
				new ByteArraySerializer())) {
			List<Future<RecordMetadata>> sends = new ArrayList<>();
			for (int i = 0; i < EVENTS; i++) {
				sends.add(producer.send(new ProducerRecord<>(this.topic, 0, "company-" + i, value)));
			}
			producer.flush();
			List<RecordMetadata> written = new ArrayList<>();
			for (Future<RecordMetadata> send : sends) {
				written.add(send.get());
			}
			return written;
		}
	}

}
