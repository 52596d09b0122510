package io.eventgateway.common.autoconfigure;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.environment.EnvironmentRulesViolation;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The shared defaults and the environment guard apply to a role, never to a team's
 * application that only has gateway-common on its classpath.
 */
class GatewayDefaultsEnvironmentPostProcessorTests {

	@Test
	void aRoleGetsTheSharedDefaults() {
		try (ConfigurableApplicationContext context = GatewayApplications.builder(Empty.class, "defaults-role")
			.web(WebApplicationType.NONE)
			.run("--spring.main.banner-mode=off")) {
			Environment environment = context.getEnvironment();
			assertThat(environment.getProperty("gateway.role")).isEqualTo("defaults-role");
			assertThat(environment.getProperty("spring.servlet.multipart.enabled")).isEqualTo("false");
			assertThat(environment.getProperty("spring.kafka.producer.value-serializer"))
				.isEqualTo("org.apache.kafka.common.serialization.ByteArraySerializer");
		}
	}

	@Test
	void aTeamsApplicationKeepsItsOwnSettings() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
			.web(WebApplicationType.NONE)
			.run("--spring.main.banner-mode=off")) {
			Environment environment = context.getEnvironment();
			assertThat(environment.getProperty("spring.servlet.multipart.enabled")).isNull();
			assertThat(environment.getProperty("spring.kafka.producer.value-serializer")).isNull();
			assertThat(environment.getProperty("management.endpoints.web.exposure.include")).isNull();
			assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isNull();
		}
	}

	@Test
	void theEnvironmentGuardStopsARoleButNotATeamsApplication() {
		// A prod instance must reach Kafka over TLS: the guard refuses clear text.
		String[] prod = { "--spring.main.banner-mode=off", "--gateway.environment=prod",
				"--gateway.topics.create=false" };
		assertThatExceptionOfType(EnvironmentRulesViolation.class)
			.isThrownBy(() -> GatewayApplications.builder(Empty.class, "guarded-role")
				.web(WebApplicationType.NONE)
				.run(prod)
				.close())
			.withMessageContaining("gateway.environment=prod refuses");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
			.web(WebApplicationType.NONE)
			.run(prod)) {
			assertThat(context.isRunning()).isTrue();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
