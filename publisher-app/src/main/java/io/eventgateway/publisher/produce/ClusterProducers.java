package io.eventgateway.publisher.produce;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The producers of one Kafka cluster, one per priority, each batching to suit its
 * traffic. One producer per priority keeps a burst of bulk events from queueing in front
 * of urgent ones in a shared send buffer.
 *
 * <p>
 * Thread-safe; {@link #close()} flushes and closes every producer.
 */
public final class ClusterProducers implements AutoCloseable {

	private final String name;

	private final Map<Lane, KafkaTemplate<String, byte[]>> templates = new EnumMap<>(Lane.class);

	private final Map<Lane, DefaultKafkaProducerFactory<String, byte[]>> factories = new EnumMap<>(Lane.class);

	/**
	 * @param name the cluster's name, for client ids and logs
	 * @param baseProperties producer settings shared by every producer (from
	 * {@code spring.kafka})
	 * @param bootstrapServers the cluster to write to
	 * @param settings batching per lane
	 */
	public ClusterProducers(String name, Map<String, Object> baseProperties, String bootstrapServers,
			Map<Lane, ProducerSettings> settings) {
		this.name = name;
		for (Lane lane : Lane.values()) {
			ProducerSettings batching = settings.get(lane);
			Map<String, Object> properties = new HashMap<>(baseProperties);
			properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
			properties.put(ProducerConfig.CLIENT_ID_CONFIG, "gateway-publisher-" + name + "-" + lane.name());
			properties.put(ProducerConfig.ACKS_CONFIG, "all");
			properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
			properties.put(ProducerConfig.LINGER_MS_CONFIG, (int) batching.linger().toMillis());
			properties.put(ProducerConfig.BATCH_SIZE_CONFIG, (int) batching.batchSize().toBytes());
			properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, batching.compression());
			properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
			properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
			DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(properties);
			this.factories.put(lane, factory);
			this.templates.put(lane, new KafkaTemplate<>(factory));
		}
	}

	/** The cluster's name. */
	public String name() {
		return this.name;
	}

	/** The producer of a lane. */
	public KafkaTemplate<String, byte[]> forLane(Lane lane) {
		return this.templates.get(lane);
	}

	@Override
	public void close() {
		this.factories.values().forEach(DefaultKafkaProducerFactory::destroy);
	}

}
