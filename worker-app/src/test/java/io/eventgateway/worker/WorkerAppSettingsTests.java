package io.eventgateway.worker;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventgateway.worker.config.WorkerProperties;
import io.eventgateway.worker.fleet.OrchestratorTarget;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker role's own settings file, {@code worker-app.yml}, on top of the starter.
 */
class WorkerAppSettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// Last, as in the application: below the values a test (or an operator) sets.
		.withInitializer((context) -> context.getEnvironment().getPropertySources().addLast(workerYaml()))
		.withUserConfiguration(WorkerPropertiesConfiguration.class);

	@Test
	void theOrchestratorsAreOnLoopbackUnlessTheEnvironmentSaysOtherwise() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerProperties.class).orchestratorTargets())
			.containsExactly(new OrchestratorTarget("127.0.0.1", 9082)));
	}

	@Test
	void orchestratorAddressStillNamesTheDefaultOrchestrator() {
		this.runner.withPropertyValues("ORCHESTRATOR_ADDRESS=orchestrator-headless:9082")
			.run((context) -> assertThat(context.getBean(WorkerProperties.class).orchestratorTargets())
				.containsExactly(new OrchestratorTarget("orchestrator-headless", 9082)));
	}

	private static PropertySource<?> workerYaml() {
		try {
			List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("worker-app.yml",
					new ClassPathResource("worker-app.yml"));
			return sources.get(0);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(WorkerProperties.class)
	static class WorkerPropertiesConfiguration {

	}

}
