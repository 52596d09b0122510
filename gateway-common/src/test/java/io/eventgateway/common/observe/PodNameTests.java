package io.eventgateway.common.observe;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayCommonAutoConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class PodNameTests {

	private static final UnaryOperator<String> NO_VARIABLES = (name) -> null;

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GatewayCommonAutoConfiguration.class))
		.withPropertyValues("gateway.topics.create=false");

	@Test
	void theSettingComesFirst() {
		assertThat(
				PodName.resolve("ingest-a", env(Map.of("POD_NAME", "ingest-b", "HOSTNAME", "ingest-c")), () -> "host"))
			.isEqualTo("ingest-a");
	}

	@Test
	void thenThePodNameThenTheHostNameVariable() {
		assertThat(PodName.resolve(null, env(Map.of("POD_NAME", "ingest-b", "HOSTNAME", "ingest-c")), () -> "host"))
			.isEqualTo("ingest-b");
		assertThat(PodName.resolve(" ", env(Map.of("HOSTNAME", "ingest-c")), () -> "host")).isEqualTo("ingest-c");
	}

	@Test
	void theLocalHostNameWhenNothingElseNamesThePod() {
		assertThat(PodName.resolve(null, NO_VARIABLES, () -> "laptop")).isEqualTo("laptop");
		assertThat(PodName.localHostName()).isNotBlank();
	}

	@Test
	void everyMeterOfARoleCarriesThePodTag() {
		this.contexts.withPropertyValues("POD_NAME=events-ingest-7f9c").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBeansOfType(MeterFilter.class).values().forEach(registry.config()::meterFilter);

			Counter counter = registry.counter("gateway.test.counted", "outcome", "ok");

			assertThat(counter.getId().getTag("pod")).isEqualTo("events-ingest-7f9c");
			assertThat(counter.getId().getTag("outcome")).isEqualTo("ok");
		});
	}

	@Test
	void thePodTagCanBeSet() {
		this.contexts.withPropertyValues("POD_NAME=events-ingest-7f9c", "gateway.metrics.pod=edge-1").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBeansOfType(MeterFilter.class).values().forEach(registry.config()::meterFilter);

			assertThat(registry.counter("gateway.test.counted").getId().getTag("pod")).isEqualTo("edge-1");
		});
	}

	private static UnaryOperator<String> env(Map<String, String> variables) {
		return variables::get;
	}

}
