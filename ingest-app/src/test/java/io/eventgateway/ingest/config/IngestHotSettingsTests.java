package io.eventgateway.ingest.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.ingest.flow.SloService;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest's levers follow an environment refresh (what {@code /actuator/refresh}
 * publishes); a bad value is refused, counted and shown, and the old one stays.
 */
@SpringBootTest(classes = IngestApplication.class,
		properties = { "spring.config.name=ingest-app", "spring.grpc.server.port=0", "gateway.topics.create=false",
				"gateway.ingest.flow-control.enabled=false", "spring.cloud.bus.enabled=false" })
class IngestHotSettingsTests {

	private final Map<String, Object> overrides = new HashMap<>();

	@Autowired
	private ConfigurableApplicationContext context;

	@Autowired
	private HotSettings<IngestProperties> settings;

	@Autowired
	private SloService slo;

	@Autowired
	private IngestGatewayEndpoint endpoint;

	@BeforeEach
	void addOverrides() {
		this.context.getEnvironment().getPropertySources().remove("overrides");
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("overrides", this.overrides));
	}

	@Test
	void aNewCeilingBoundsTheAdmissionRateAtOnce() {
		change("gateway.ingest.aimd.ceiling", "40000");
		change("gateway.ingest.aimd.initial-rate", "40000");

		assertThat(this.slo.rate()).isEqualTo(40000.0);
	}

	@Test
	void anUnknownPriorityIsRefusedAndTheOldRulesStay() {
		Priority before = this.settings.current().classifier().defaultPriority();
		long rejections = this.settings.rejectionCount();

		change("gateway.ingest.classifier.default-priority", "P99");

		assertThat(this.settings.current().classifier().defaultPriority()).isEqualTo(before);
		assertThat(this.settings.rejectionCount()).isEqualTo(rejections + 1);
		assertThat(this.settings.lastRejection()).contains("default-priority");
		assertThat(this.endpoint.state().get("settings").toString()).contains("rejectedRefreshes=" + (rejections + 1));
	}

	@Test
	void aNegativeRuleDelayIsRefused() {
		long rejections = this.settings.rejectionCount();

		// A list in a higher source replaces the whole list, so the rule is given in
		// full.
		this.overrides.put("gateway.ingest.classifier.rules[0].name", "late");
		this.overrides.put("gateway.ingest.classifier.rules[0].event-type", "report");
		this.overrides.put("gateway.ingest.classifier.rules[0].priority", "P10");
		change("gateway.ingest.classifier.rules[0].delay", "-5s");

		assertThat(this.settings.rejectionCount()).isEqualTo(rejections + 1);
		assertThat(this.settings.lastRejection()).contains("negative delay");
		assertThat(this.settings.current().classifier().rules()).extracting("name").doesNotContain("late");
		this.overrides.clear();
	}

	@Test
	void theEndpointShowsTheLongestDelayInForce() {
		assertThat(this.endpoint.state()).containsEntry("delay", Map.of("max", "PT1H"));
	}

	private void change(String key, String value) {
		this.overrides.put(key, value);
		this.context.publishEvent(new EnvironmentChangeEvent(this.context, Set.of(key)));
	}

}
