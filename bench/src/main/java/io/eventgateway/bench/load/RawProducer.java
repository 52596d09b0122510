package io.eventgateway.bench.load;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.LongSerializer;

/**
 * A Kafka producer with the publisher's settings (acks=all, idempotence, 64 KB batches)
 * and the load generator's linger, for every benchmark that writes to Kafka directly.
 */
public final class RawProducer {

	/** The producer's settings as the results state them. */
	public static final String DESCRIPTION = "acks=all, idempotence, linger " + LoadMain.LINGER.toMillis()
			+ "ms, batch 64KB";

	private RawProducer() {
	}

	public static KafkaProducer<Long, byte[]> create(String bootstrapServers) {
		Properties properties = new Properties();
		properties.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG,
				"all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", ProducerConfig.LINGER_MS_CONFIG,
				Long.toString(LoadMain.LINGER.toMillis()), ProducerConfig.BATCH_SIZE_CONFIG, "65536"));
		return new KafkaProducer<>(properties, new LongSerializer(), new ByteArraySerializer());
	}

}
