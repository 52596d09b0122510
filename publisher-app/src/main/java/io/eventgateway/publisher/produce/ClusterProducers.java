package io.eventgateway.publisher.produce;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producers of one Kafka cluster, one per priority, each batching to suit its
 * traffic. One producer per priority keeps a burst of bulk events from queueing in front
 * of urgent ones in a shared send buffer.
 *
 * <p>
 * Thread-safe; {@link #close()} flushes and closes every producer.
 */
public final class ClusterProducers implements AutoCloseable {

	/** How long closing waits for one producer to send what it still buffers. */
	static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

	private final String name;

	private final Map<Lane, LaneProducer> producers;

	/**
	 * @param name the cluster's name, for client ids and logs
	 * @param baseProperties producer settings shared by every producer (from
	 * {@code spring.kafka})
	 * @param bootstrapServers the cluster to write to
	 * @param settings batching per lane
	 * @param completions where sends complete, off the producers' network threads
	 */
	public ClusterProducers(String name, Map<String, Object> baseProperties, String bootstrapServers,
			Map<Lane, ProducerSettings> settings, Executor completions) {
		this(name, producers(name, baseProperties, bootstrapServers, settings, completions));
	}

	private ClusterProducers(String name, Map<Lane, LaneProducer> producers) {
		this.name = name;
		this.producers = producers;
	}

	/**
	 * Producers made elsewhere (tests use Kafka's {@code MockProducer}).
	 * @param name the cluster's name
	 * @param producers one per lane
	 */
	public static ClusterProducers of(String name, Map<Lane, LaneProducer> producers) {
		if (!producers.keySet().containsAll(EnumSet.allOf(Lane.class))) {
			throw new IllegalArgumentException("a producer for every lane is needed, got " + producers.keySet());
		}
		return new ClusterProducers(name, new EnumMap<>(producers));
	}

	/** The cluster's name. */
	public String name() {
		return this.name;
	}

	/** The producer of a lane. */
	public LaneProducer forLane(Lane lane) {
		return this.producers.get(lane);
	}

	@Override
	public void close() {
		this.producers.values().forEach((producer) -> producer.close(CLOSE_TIMEOUT));
	}

	private static Map<Lane, LaneProducer> producers(String name, Map<String, Object> baseProperties,
			String bootstrapServers, Map<Lane, ProducerSettings> settings, Executor completions) {
		Map<Lane, LaneProducer> producers = new EnumMap<>(Lane.class);
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
			properties.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
			properties.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
			producers.put(lane,
					new LaneProducer(
							() -> new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer()),
							completions));
		}
		return producers;
	}

}
