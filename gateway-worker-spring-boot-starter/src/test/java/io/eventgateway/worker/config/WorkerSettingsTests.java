package io.eventgateway.worker.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.eventgateway.worker.fleet.OrchestratorChannels;
import io.eventgateway.worker.fleet.OrchestratorTarget;
import io.eventgateway.worker.stats.WorkerStats;

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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The worker's settings as the starter's {@code gateway-worker-defaults.yml} and the
 * binder make them.
 */
class WorkerSettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// Last, as in the application: below the values a test (or an operator) sets.
		.withInitializer((context) -> context.getEnvironment().getPropertySources().addLast(workerDefaults()))
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, GrpcClientAutoConfiguration.class))
		.withUserConfiguration(WorkerPropertiesConfiguration.class);

	@Test
	void theOrchestratorChannelAcceptsLeasesUpToSixteenMegabytes() {
		this.runner.run((context) -> assertThat(
				context.getBean(GrpcClientProperties.class).getChannel("orchestrator").getMaxInboundMessageSize())
			.isEqualTo(DataSize.ofMegabytes(16)));
	}

	@Test
	void theChannelsToTheOrchestratorsArePlaintextUnlessABundleIsNamed() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerProperties.class).tls().enabled()).isFalse());
		this.runner
			.withPropertyValues("gateway.worker.tls.bundle=gateway-grpc-client",
					"gateway.worker.tls.authority=orchestrator-headless")
			.run((context) -> assertThat(context.getBean(WorkerProperties.class).tls())
				.returns(true, WorkerProperties.Tls::enabled)
				.returns("orchestrator-headless", WorkerProperties.Tls::authority));
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

	@Test
	void eachLoopFetchesOneBatchAheadByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerProperties.class).prefetch()).isEqualTo(1));
	}

	@Test
	void aPrefetchOutsideItsBoundsIsRejectedNamingTheSetting() {
		for (String prefetch : List.of("-1", "17")) {
			this.runner.withPropertyValues("gateway.worker.prefetch=" + prefetch)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("gateway.worker")
					.hasStackTraceContaining("prefetch"));
		}
	}

	@Test
	void aBatchFetchedAheadWaitsAtMostTheP30SloByDefault() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerProperties.class).prefetchHold())
			.isEqualTo(Duration.ofSeconds(5)));
	}

	@Test
	void aPrefetchHoldThatIsNotPositiveIsRejectedNamingTheSetting() {
		for (String hold : List.of("0s", "-1s")) {
			this.runner.withPropertyValues("gateway.worker.prefetch-hold=" + hold)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("gateway.worker.prefetch-hold must be positive"));
		}
	}

	@Test
	void theNextBatchIsFetchedAHundredMillisecondsAheadByDefaultAndANegativeLeadIsRejected() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerProperties.class).prefetchLead())
			.isEqualTo(Duration.ofMillis(100)));
		this.runner.withPropertyValues("gateway.worker.prefetch-lead=-1ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("gateway.worker.prefetch-lead must not be negative"));
	}

	@Test
	void theGatewayEndpointShowsTheFetchSettingsAsBound() {
		this.runner
			.withPropertyValues("gateway.worker.prefetch=2", "gateway.worker.prefetch-lead=250ms",
					"gateway.worker.prefetch-hold=3s", "gateway.worker.max-tasks-per-batch=40")
			.run((context) -> assertThat(new WorkerGatewayEndpoint(context.getBean(WorkerProperties.class),
					new WorkerStats(new SimpleMeterRegistry()))
				.state()).containsEntry("prefetch", 2)
				.containsEntry("prefetchLead", "PT0.25S")
				.containsEntry("prefetchHold", "PT3S")
				.containsEntry("maxTasksPerBatch", 40));
	}

	@Test
	void answersLingerTwentyMillisecondsByDefaultAndAtMostASecond() {
		this.runner.run((context) -> assertThat(context.getBean(WorkerProperties.class).answerLinger())
			.isEqualTo(Duration.ofMillis(20)));
		for (String linger : List.of("-1ms", "2s")) {
			this.runner.withPropertyValues("gateway.worker.answer-linger=" + linger)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.hasStackTraceContaining("gateway.worker.answer-linger must be between 0 and 1s, was "));
		}
	}

	@Test
	void theWorkerAsksTheOrchestratorAddressEveryFifteenSecondsByDefault() {
		this.runner.run((context) -> {
			WorkerProperties properties = context.getBean(WorkerProperties.class);
			assertThat(properties.orchestratorTargets()).containsExactly(new OrchestratorTarget("127.0.0.1", 9082));
			assertThat(properties.discoveryInterval()).isEqualTo(Duration.ofSeconds(15));
		});
	}

	@Test
	void severalOrchestratorTargetsAreAList() {
		this.runner.withPropertyValues("gateway.worker.orchestrators=primary-headless:9082, [::1]:9083")
			.run((context) -> assertThat(context.getBean(WorkerProperties.class).orchestratorTargets()).containsExactly(
					new OrchestratorTarget("primary-headless", 9082), new OrchestratorTarget("::1", 9083)));
	}

	@Test
	void anOrchestratorWithoutAPortIsRejected() {
		this.runner.withPropertyValues("gateway.worker.orchestrators=orchestrator-headless")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.worker.orchestrators entries must be host:port"));
	}

	@Test
	void aDiscoveryIntervalThatIsNotPositiveIsRejected() {
		this.runner.withPropertyValues("gateway.worker.discovery-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.worker.discovery-interval must be positive"));
	}

	@Test
	void theFormerOrchestratorAddressSettingIsRefusedNamingItsReplacement() {
		this.runner.withPropertyValues("spring.grpc.client.channels.orchestrator.address=dns:///orchestrator:9082")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> new OrchestratorChannels(context.getBean(GrpcClientProperties.class)))
				.withMessageContaining("spring.grpc.client.channels.orchestrator.address")
				.withMessageContaining("gateway.worker.orchestrators"));
	}

	@Test
	void theOrchestratorChannelSettingsAreAcceptedWithoutAnAddress() {
		this.runner.run((context) -> assertThat(new OrchestratorChannels(context.getBean(GrpcClientProperties.class))
			.apply(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9082))
			.shutdownNow()).isNotNull());
	}

	private static PropertySource<?> workerDefaults() {
		try {
			List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(
					WorkerDefaultsEnvironmentPostProcessor.RESOURCE,
					new ClassPathResource(WorkerDefaultsEnvironmentPostProcessor.RESOURCE));
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
