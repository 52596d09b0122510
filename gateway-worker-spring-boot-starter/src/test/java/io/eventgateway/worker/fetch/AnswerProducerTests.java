package io.eventgateway.worker.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AnswerProducerTests {

	@Test
	void theApplicationsProducerSettingsCannotChangeWhatTheOrchestratorReads() throws Exception {
		Map<String, Object> application = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class, ProducerConfig.ACKS_CONFIG, "1",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.LINGER_MS_CONFIG, 7);
		AnswerProducer answers = new AnswerProducer(application, Duration.ofMillis(20), List.of((factory) -> factory
			.updateConfigs(Map.of(ProducerConfig.ACKS_CONFIG, "0", ProducerConfig.LINGER_MS_CONFIG, 3))));
		try {
			assertThat(answers.settings())
				.containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class)
				.containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)
				.containsEntry(ProducerConfig.ACKS_CONFIG, "all")
				.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
				// The worker's answer linger, not the application's nor a customizer's.
				.containsEntry(ProducerConfig.LINGER_MS_CONFIG, 20)
				// The rest of the application's settings apply.
				.containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
		}
		finally {
			answers.destroy();
		}
	}

	@Test
	void aLingerTheProducersDeliveryTimeoutCannotCoverIsRefusedAtStartNamingTheSetting() {
		Map<String, Object> application = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000", ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AnswerProducer(application, Duration.ofMillis(20), List.of()))
			.withMessageContaining("gateway.worker.answer-linger (20ms)")
			.withMessageContaining("delivery.timeout.ms (10000ms)");
		new AnswerProducer(application, Duration.ZERO, List.of()).destroy();
		// Unset, Kafka raises the delivery timeout to fit.
		new AnswerProducer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000), Duration.ofMillis(20), List.of())
			.destroy();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AnswerProducer(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30s"),
					Duration.ofMillis(20), List.of()))
			.withMessageContaining("delivery.timeout.ms must be a number of milliseconds, was 30s");
	}

}
