package io.eventgateway.orchestrator.config;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class SourceConsumerOverridesTests {

	@Test
	void aSourceWithAFetchWaitAsksForItAndTheMinimumBytes() {
		Properties overrides = SourceConsumerOverrides.of(kafka(Map.of()), "p10");

		assertThat(overrides).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500")
			.containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536")
			.containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000")
			.containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
	}

	@Test
	void eachSourceTakesItsOwnWaitAndTheMinimumBytesSetting() {
		OrchestratorProperties.Kafka kafka = kafka(Map.of("gateway.orchestrator.kafka.fetch-wait.retry", "250ms",
				"gateway.orchestrator.kafka.fetch-min-bytes", "16KB"));

		assertThat(SourceConsumerOverrides.of(kafka, "retry"))
			.containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "250")
			.containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "16384");
		assertThat(SourceConsumerOverrides.of(kafka, "p20")).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
				"100");
	}

	@Test
	void aSourceWithoutAFetchWaitKeepsKafkasDefaults() {
		// P30's default: a zero fetch.max.wait.ms would fetch in a tight loop.
		Properties overrides = SourceConsumerOverrides.of(kafka(Map.of()), "p30");

		assertThat(overrides).doesNotContainKeys(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
				ConsumerConfig.FETCH_MIN_BYTES_CONFIG);
	}

	private static OrchestratorProperties.Kafka kafka(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings))
			.bindOrCreate("gateway.orchestrator", OrchestratorProperties.class)
			.kafka();
	}

}
