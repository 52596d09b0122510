package io.eventgateway.orchestrator.flow;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Where flow-control signals go: the flow-control topic of the cluster ingest reads. That
 * is the orchestrator's own cluster for the fleet beside ingest, and another one for a
 * fleet on a rollout cluster, which then has a producer of its own, closed with this
 * sender.
 *
 * <p>
 * Thread-safe, like the Kafka producer it wraps.
 */
public final class FlowSignalSender implements AutoCloseable {

	private final KafkaTemplate<String, byte[]> template;

	private final String topic;

	private final DefaultKafkaProducerFactory<String, byte[]> ownFactory;

	private FlowSignalSender(KafkaTemplate<String, byte[]> template, String topic,
			DefaultKafkaProducerFactory<String, byte[]> ownFactory) {
		this.template = template;
		this.topic = topic;
		this.ownFactory = ownFactory;
	}

	/** Sends through the orchestrator's own producer, to its own cluster. */
	public static FlowSignalSender sharing(KafkaTemplate<String, byte[]> template, String topic) {
		return new FlowSignalSender(template, topic, null);
	}

	/**
	 * Sends through a producer of its own to another cluster.
	 * @param producerConfig the orchestrator's producer settings (security, acks)
	 * @param bootstrapServers the cluster ingest reads
	 * @param topic the flow-control topic there
	 */
	public static FlowSignalSender toCluster(Map<String, Object> producerConfig, String bootstrapServers,
			String topic) {
		Map<String, Object> config = new HashMap<>(producerConfig);
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		// A signal is advice, superseded by the next one: no transactions or client id
		// shared with the main producer.
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		config.remove(ProducerConfig.CLIENT_ID_CONFIG);
		DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
				new StringSerializer(), new ByteArraySerializer());
		return new FlowSignalSender(new KafkaTemplate<>(factory), topic, factory);
	}

	/** Sends one signal, keyed by its source. */
	void send(String key, byte[] signal) {
		this.template.send(this.topic, key, signal);
	}

	@Override
	public void close() {
		if (this.ownFactory != null) {
			this.ownFactory.destroy();
		}
	}

}
