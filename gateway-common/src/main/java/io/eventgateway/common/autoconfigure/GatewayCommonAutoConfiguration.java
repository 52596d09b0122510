package io.eventgateway.common.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import org.apache.kafka.clients.admin.NewTopic;

import io.eventgateway.common.health.KafkaClusterHealthIndicator;
import io.eventgateway.common.health.LoopsHealthIndicator;
import io.eventgateway.common.lifecycle.ListenerContainerWatch;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.observe.PodName;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.beans.factory.ObjectProvider;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.kafka.security.KafkaClusterSecurity;
import io.eventgateway.common.kafka.security.KafkaStartupCheckPostProcessor;

import io.eventgateway.common.environment.EnvironmentGuard;
import io.eventgateway.common.environment.EnvironmentProperties;
import io.eventgateway.common.environment.EnvironmentRules;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.core.env.Environment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Beans every role shares: the clock, the topic layout, and creation of missing topics.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@EnableConfigurationProperties({ GatewayTopicsProperties.class, EnvironmentProperties.class })
public class GatewayCommonAutoConfiguration {

	/**
	 * The environment's rules in force (checked, before any bean, by
	 * {@link EnvironmentGuard}); roles only.
	 */
	@Bean
	@Conditional(OnGatewayRoleCondition.class)
	EnvironmentRules environmentRules(Environment environment) {
		return EnvironmentGuard.check(environment);
	}

	/**
	 * Stops a role whose Kafka credentials a cluster refuses, with one line naming the
	 * setting, before any client retries them.
	 */
	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaProperties")
	static KafkaStartupCheckPostProcessor kafkaStartupCheck(Environment environment) {
		return new KafkaStartupCheckPostProcessor(environment);
	}

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * The security settings of every Kafka cluster, for the clients of clusters other
	 * than the primary ({@link KafkaClusterSecurity#forCluster}).
	 */
	@Bean
	@ConditionalOnMissingBean
	KafkaClusterSecurity kafkaClusterSecurity(Environment environment) {
		return KafkaClusterSecurity.bind(Binder.get(environment));
	}

	@Bean
	@ConditionalOnMissingBean
	TopicLayout topicLayout(GatewayTopicsProperties properties) {
		return new TopicLayout(properties.prefix(), properties.retryLevels(), properties.delayTiers());
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent")
	static GrpcServerPortPublisher grpcServerPortPublisher(ConfigurableEnvironment environment) {
		return new GrpcServerPortPublisher(environment);
	}

	/**
	 * Every long-running loop of the role, with a failure counter and a gauge of the time
	 * since its last progress per loop when Micrometer is present.
	 */
	@Bean
	@ConditionalOnMissingBean
	LoopMonitor loopMonitor(Clock clock, ObjectProvider<MeterRegistry> registry) {
		MeterRegistry meters = registry.getIfAvailable();
		return new LoopMonitor(clock, (meters != null) ? new LoopMeters(meters)::bind : (heartbeat) -> {
		});
	}

	/**
	 * {@code loops} in {@code /actuator/health} (and the liveness group), and the
	 * consumers of Spring Kafka listener containers reported as loops.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
	static class LoopHealthConfiguration {

		@Bean
		LoopsHealthIndicator loopsHealthIndicator(LoopMonitor monitor) {
			return new LoopsHealthIndicator(monitor);
		}

		@Bean
		@ConditionalOnClass(name = "org.springframework.kafka.event.KafkaEvent")
		ListenerContainerWatch listenerContainerWatch(LoopMonitor monitor) {
			return new ListenerContainerWatch(monitor, Duration.ofMinutes(1));
		}

	}

	/**
	 * The {@code pod} tag on every meter of the role, so that per-pod views work on every
	 * registry (StatsD's datadog flavor sends tags; Prometheus keeps them beside its own
	 * target labels).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.config.MeterFilter")
	@EnableConfigurationProperties(GatewayMetricsProperties.class)
	static class PodTagConfiguration {

		@Bean
		MeterFilter gatewayPodTag(GatewayMetricsProperties properties, Environment environment) {
			return MeterFilter.commonTags(Tags.of("pod",
					PodName.resolve(properties.pod(), environment::getProperty, PodName::localHostName)));
		}

	}

	/**
	 * Counters and a timer per gRPC method while the server's observation is off (the
	 * roles turn it on only with tracing): messages in
	 * {@code grpc.server.requests.received} and {@code grpc.server.responses.sent}, calls
	 * in {@code grpc.server.processing.duration} (tags {@code service}, {@code method},
	 * {@code methodType}, and {@code statusCode} on the timer). An observation per call
	 * cost about a tenth of a role's CPU under load for a span nobody records. Outermost,
	 * where the observation sits, so that calls refused by the API key count too; only in
	 * the gateway's roles, never in a team's application that uses the worker starter.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnGatewayRoleCondition.class)
	@ConditionalOnClass(name = { "org.springframework.grpc.server.GlobalServerInterceptor",
			"io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor" })
	@ConditionalOnBooleanProperty(name = "spring.grpc.server.observation.enabled", havingValue = false)
	static class GrpcServerMetricsConfiguration {

		@Bean
		@GlobalServerInterceptor
		@Order(0)
		MetricCollectingServerInterceptor grpcServerMetrics(MeterRegistry registry) {
			return new MetricCollectingServerInterceptor(registry);
		}

	}

	/** {@code kafka} in {@code /actuator/health}. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
			"org.springframework.kafka.core.KafkaAdmin" })
	static class KafkaHealthConfiguration {

		@Bean
		@ConditionalOnBean(KafkaAdmin.class)
		KafkaClusterHealthIndicator kafkaHealthIndicator(KafkaAdmin admin) {
			return new KafkaClusterHealthIndicator(admin.getConfigurationProperties(), Duration.ofSeconds(3));
		}

	}

	/**
	 * Declares the gateway's topics; Spring Kafka's admin creates those that are missing.
	 * Roles only: a team's application (a worker on the starter) uses the topics the
	 * gateway's roles created and creates none in its cluster.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(KafkaAdmin.class)
	@ConditionalOnBooleanProperty(name = "gateway.topics.create", matchIfMissing = true)
	@Conditional(OnGatewayRoleCondition.class)
	static class TopicCreationConfiguration {

		@Bean
		KafkaAdmin.NewTopics gatewayTopics(TopicLayout layout, GatewayTopicsProperties properties) {
			return new KafkaAdmin.NewTopics(layout.all()
				.stream()
				.map((name) -> TopicBuilder.name(name)
					.partitions(properties.partitions())
					.replicas(properties.replicationFactor())
					.configs(properties.topicConfigs())
					.build())
				.toArray(NewTopic[]::new));
		}

	}

}
