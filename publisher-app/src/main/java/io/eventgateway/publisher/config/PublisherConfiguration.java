package io.eventgateway.publisher.config;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;

import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.kafka.security.KafkaClusterSecurity;
import io.eventgateway.common.kafka.security.KafkaCluster;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.settings.HotSettingsMeters;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.publisher.api.PrepPublisherGrpcService;
import io.eventgateway.publisher.failure.FailureCapture;
import io.eventgateway.publisher.failure.SpoolReplayer;
import io.eventgateway.publisher.produce.CallerRunsWhenFull;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.RolloutProducers;
import io.eventgateway.publisher.publish.EventCheck;
import io.eventgateway.publisher.publish.EventPublisher;
import io.eventgateway.publisher.publish.PublishMetrics;
import io.eventgateway.publisher.route.RolloutRouter;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import jakarta.validation.Validator;

/**
 * Wires the publisher: one producer per priority on the primary cluster (and on the
 * rollout cluster when one is configured), the rollout router on its runtime-changeable
 * percentage, and the PublishEvents endpoint.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PublisherProperties.class)
class PublisherConfiguration {

	@Bean
	HotSettings<RolloutSettings> rolloutSettings(Environment environment, Validator validator) {
		return new HotSettings<>(RolloutSettings.PREFIX, RolloutSettings.class, environment, validator);
	}

	@Bean
	RolloutRouter rolloutRouter(HotSettings<RolloutSettings> rollout) {
		return new RolloutRouter(() -> rollout.current().percentage());
	}

	/**
	 * Where sends complete: meters, spans, the hand-off to the failure chain and the gRPC
	 * answers run here rather than on a producer's network thread, which then only moves
	 * batches. Its queue is bounded: when full, the network thread runs the completion
	 * itself, which holds up that producer's sends (backpressure) rather than letting
	 * completions pile up once the producer freed their buffer memory. Destroyed after
	 * the producers, whose close flushes into it.
	 */
	@Bean(destroyMethod = "shutdown")
	ExecutorService publishCompletionExecutor(PublisherProperties properties,
			CallerRunsWhenFull publishCompletionOverflow) {
		int threads = properties.producers().completionThreads();
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(properties.producers().completionQueue()),
				new CustomizableThreadFactory("publish-completion-"), publishCompletionOverflow);
	}

	@Bean
	CallerRunsWhenFull publishCompletionOverflow() {
		return new CallerRunsWhenFull();
	}

	/**
	 * The completion executor's queue and activity, as
	 * {@code gateway.publisher.executor.*}, and the completions its full queue sent back
	 * to a producer's network thread, as
	 * {@code gateway.publisher.executor.caller_runs{name=publish-completion}}.
	 */
	@Bean
	ExecutorServiceMetrics publishCompletionExecutorMetrics(ExecutorService publishCompletionExecutor) {
		return new ExecutorServiceMetrics(publishCompletionExecutor, "publish-completion", "gateway.publisher",
				List.of());
	}

	@Bean
	MeterBinder publishCompletionOverflowMetrics(CallerRunsWhenFull publishCompletionOverflow) {
		return (registry) -> FunctionCounter
			.builder("gateway.publisher.executor.caller_runs", publishCompletionOverflow,
					CallerRunsWhenFull::callerRunsCount)
			.description("Completions run on a producer's network thread because the completion queue was full")
			.tag("name", "publish-completion")
			.register(registry);
	}

	@Bean(destroyMethod = "close")
	ClusterProducers primaryProducers(KafkaProperties kafka, PublisherProperties properties,
			ExecutorService publishCompletionExecutor) {
		return new ClusterProducers("primary", kafka.buildProducerProperties(),
				String.join(",", kafka.getBootstrapServers()), properties.producers().byLane(),
				publishCompletionExecutor);
	}

	@Bean(destroyMethod = "close")
	RolloutProducers rolloutProducers(KafkaProperties kafka, PublisherProperties properties,
			HotSettings<RolloutSettings> rollout, KafkaClusterSecurity security,
			ExecutorService publishCompletionExecutor) {
		// The rollout cluster's address is a hot setting; its security is read at start.
		Map<String, Object> producer = security.forCluster(KafkaCluster.ROLLOUT, kafka.buildProducerProperties());
		RolloutProducers producers = new RolloutProducers((bootstrap) -> new ClusterProducers("rollout", producer,
				bootstrap, properties.producers().byLane(), publishCompletionExecutor),
				rollout.current().bootstrapServers());
		rollout.onChange((settings) -> producers.retarget(settings.bootstrapServers()));
		return producers;
	}

	@Bean
	PublishMetrics publishMetrics(MeterRegistry registry, RolloutRouter router, FailureCapture failures,
			TopicLayout topics) {
		return new PublishMetrics(registry, router, failures, topics.delayTiers());
	}

	/** Which events wait on a delay topic: publishing and both replays agree on it. */
	@Bean
	DelayRouting delayRouting(TopicLayout topics, Clock clock) {
		return new DelayRouting(topics, clock);
	}

	@Bean
	EventCheck eventCheck(PublisherProperties properties, GatewayTopicsProperties topicSettings, Clock clock) {
		return new EventCheck(properties.eventLimits().toLimits(topicSettings.retention()), clock);
	}

	@Bean
	EventPublisher eventPublisher(ClusterProducers primaryProducers, RolloutProducers rolloutProducers,
			RolloutRouter router, TopicLayout topics, PublishMetrics metrics, FailureCapture failures,
			EventCheck eventCheck, EventTracing tracing, DelayRouting delayRouting) {
		return new EventPublisher(primaryProducers, rolloutProducers, router, topics, metrics, failures, eventCheck,
				tracing, delayRouting);
	}

	@Bean
	PublisherGatewayEndpoint publisherGatewayEndpoint(HotSettings<RolloutSettings> rollout, RolloutRouter router,
			MeterRegistry registry, PublisherProperties properties, SpoolReplayer spoolReplayer) {
		HotSettingsMeters.registerRejections(registry, "gateway.publisher.settings.rejected", rollout);
		return new PublisherGatewayEndpoint(rollout, router, properties.spool(), spoolReplayer);
	}

	@Bean
	PrepPublisherGrpcService prepPublisherGrpcService(EventPublisher publisher) {
		return new PrepPublisherGrpcService(publisher);
	}

}
