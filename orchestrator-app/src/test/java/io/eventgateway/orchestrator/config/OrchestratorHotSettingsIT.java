package io.eventgateway.orchestrator.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.orchestrator.OrchestratorApplication;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Operational levers of a running orchestrator change on an environment refresh (what
 * {@code /actuator/refresh} publishes), are visible in {@code /actuator/gateway}, and a
 * bad value is refused with the old one kept.
 */
class OrchestratorHotSettingsIT {

	private final Map<String, Object> overrides = new HashMap<>();

	private ConfigurableApplicationContext context;

	@BeforeEach
	void start() {
		this.context = GatewayApplications.builder(OrchestratorApplication.class, OrchestratorApplication.ROLE)
			.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
					"--spring.grpc.server.port=0", "--spring.main.banner-mode=off", "--gateway.topics.prefix=hot-it",
					"--gateway.topics.partitions=1", "--gateway.orchestrator.consumer-group=hot-it",
					"--gateway.orchestrator.memory-threshold-percent.p10=15");
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("overrides", this.overrides));
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void memoryThresholdAndRetrySwitchChangeWithoutARestart() {
		long before = thresholdBytes("p10");

		change("gateway.orchestrator.memory-threshold-percent.p10", "30");
		change("gateway.orchestrator.enable-retry-consumer", "false");

		// Each threshold is its percentage of the heap's maximum, rounded: doubling the
		// percentage doubles it to within a byte.
		assertThat(thresholdBytes("p10")).isCloseTo(before * 2, within(1L));
		await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) source("retry").get("paused"));

		change("gateway.orchestrator.enable-retry-consumer", "true");

		await().atMost(Duration.ofSeconds(10)).until(() -> !(Boolean) source("retry").get("paused"));
	}

	@Test
	void thresholdOver100PercentIsRefusedAndTheOldOneStays() {
		long before = thresholdBytes("p10");

		change("gateway.orchestrator.memory-threshold-percent.p10", "150");

		assertThat(thresholdBytes("p10")).isEqualTo(before);
		@SuppressWarnings("unchecked")
		HotSettings<OrchestratorProperties> settings = this.context.getBean(HotSettings.class);
		assertThat(settings.rejectionCount()).isEqualTo(1);
		assertThat(settings.lastRejection()).contains("memory-threshold-percent.p10");
	}

	@Test
	void thresholdsThatTogetherPassTheHeapBudgetAreRefusedAndTheOldOnesStay() {
		long before = thresholdBytes("p30");

		// Each is valid alone; 60 + 20 + 15 is not.
		change("gateway.orchestrator.memory-threshold-percent.p30", "60");

		assertThat(thresholdBytes("p30")).isEqualTo(before);
		@SuppressWarnings("unchecked")
		HotSettings<OrchestratorProperties> settings = this.context.getBean(HotSettings.class);
		assertThat(settings.rejectionCount()).isEqualTo(1);
		assertThat(settings.lastRejection()).contains("memory-threshold-percent.p30 + p20 + p10 must not exceed 90");
	}

	private void change(String key, String value) {
		this.overrides.put(key, value);
		this.context.publishEvent(new EnvironmentChangeEvent(this.context, Set.of(key)));
	}

	private long thresholdBytes(String source) {
		return ((Number) source(source).get("thresholdBytes")).longValue();
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> source(String name) {
		Map<String, Object> sources = (Map<String, Object>) this.context.getBean(GatewayEndpoint.class)
			.state()
			.get("sources");
		return (Map<String, Object>) sources.get(name);
	}

}
