package io.eventgateway.worker.config;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's settings as its own {@code worker-app.yml} and the binder make them.
 */
class WorkerSettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer((context) -> context.getEnvironment().getPropertySources().addFirst(workerYaml()))
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GrpcClientAutoConfiguration.class))
		.withUserConfiguration(WorkerPropertiesConfiguration.class);

	@Test
	void theOrchestratorChannelAcceptsLeasesUpToSixteenMegabytes() {
		this.runner.run((context) -> assertThat(
				context.getBean(GrpcClientProperties.class).getChannel("orchestrator").getMaxInboundMessageSize())
			.isEqualTo(DataSize.ofMegabytes(16)));
	}

	@Test
	void processingTimeIsCappedAtTenMinutesByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerProperties.class).maxProcessingTime())
			.isEqualTo(Duration.ofMinutes(10)));
	}

	@Test
	void aProcessingTimeCapThatIsNotPositiveIsRejected() {
		this.runner.withPropertyValues("gateway.worker.max-processing-time=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.worker.max-processing-time must be positive"));
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
