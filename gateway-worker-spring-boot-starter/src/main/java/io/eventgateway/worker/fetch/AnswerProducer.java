package io.eventgateway.worker.fetch;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The worker's own Kafka producer for its answers, apart from the application's: the
 * application may declare its own {@code KafkaTemplate} or set its own serializers under
 * {@code spring.kafka.producer.*} without the worker failing to start or writing answers
 * the orchestrator cannot read.
 *
 * <p>
 * Built from the application's producer settings (cluster, security, client properties)
 * with what the orchestrator relies on fixed: a {@code String} key, the protobuf bytes as
 * value, {@code acks=all} and idempotence. Deliberately not a {@code KafkaTemplate} bean,
 * so that Spring Boot's own template and producer factory stay in place for the
 * application and no bean of the application replaces this one by its type. Closes its
 * producer when the context closes. Thread-safe.
 */
public class AnswerProducer implements DisposableBean {

	/** Settings an answer producer always has, whatever the application sets. */
	static final Map<String, Object> FIXED = Map.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
			ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class, ProducerConfig.ACKS_CONFIG, "all",
			ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);

	private final DefaultKafkaProducerFactory<String, byte[]> factory;

	private final KafkaTemplate<String, byte[]> template;

	/**
	 * A producer with the application's producer settings, the fixed ones above and the
	 * worker's own linger.
	 * @param producerSettings the application's producer settings (Spring Boot's
	 * {@code KafkaProperties.buildProducerProperties()} with its connection details)
	 * @param linger how long the producer waits to fill a request with answers
	 * ({@code gateway.worker.answer-linger}), whatever the application's producers use
	 * @param customizers changes to the factory the application's context declares (such
	 * as Spring Boot's client metrics); they cannot undo the fixed settings or the linger
	 */
	public AnswerProducer(Map<String, Object> producerSettings, Duration linger,
			List<Consumer<DefaultKafkaProducerFactory<String, byte[]>>> customizers) {
		Map<String, Object> own = new HashMap<>(FIXED);
		own.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
		Map<String, Object> settings = new HashMap<>(producerSettings);
		settings.putAll(own);
		requireDeliveryTimeoutCovers(settings, linger);
		this.factory = new DefaultKafkaProducerFactory<>(settings);
		customizers.forEach((customizer) -> customizer.accept(this.factory));
		// After the customizers, so that none of them changes what the orchestrator
		// reads.
		this.factory.updateConfigs(own);
		this.factory.setKeySerializer(new StringSerializer());
		this.factory.setValueSerializer(new ByteArraySerializer());
		this.template = new KafkaTemplate<>(this.factory);
	}

	/**
	 * Kafka refuses a producer whose {@code delivery.timeout.ms}, when set, is below its
	 * {@code linger.ms} plus {@code request.timeout.ms}, but only when the producer is
	 * made, on the first answer: refused here, at start, naming the worker's setting.
	 */
	private static void requireDeliveryTimeoutCovers(Map<String, Object> settings, Duration linger) {
		if (settings.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG) == null) {
			// Unset, Kafka raises it to fit.
			return;
		}
		long delivery = millis(settings, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
		long request = millis(settings, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
		if (linger.toMillis() + request > delivery) {
			throw new IllegalArgumentException("gateway.worker.answer-linger (" + linger.toMillis()
					+ "ms) plus the producer's request.timeout.ms (" + request
					+ "ms) must not exceed its delivery.timeout.ms (" + delivery + "ms)");
		}
	}

	private static long millis(Map<String, Object> settings, String name, long kafkaDefault) {
		Object value = settings.get(name);
		if (value == null) {
			return kafkaDefault;
		}
		try {
			return Long.parseLong(value.toString().trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"the producer setting " + name + " must be a number of milliseconds, was " + value, ex);
		}
	}

	/** The template answers are sent with. */
	public KafkaTemplate<String, byte[]> template() {
		return this.template;
	}

	/** The settings the producer is created with. */
	public Map<String, Object> settings() {
		return this.factory.getConfigurationProperties();
	}

	@Override
	public void destroy() {
		this.factory.destroy();
	}

}
