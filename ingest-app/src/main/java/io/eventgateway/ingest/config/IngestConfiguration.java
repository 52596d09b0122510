package io.eventgateway.ingest.config;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.bucket4j.TimeMeter;
import io.grpc.ManagedChannel;
import jakarta.validation.Validator;

import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.health.GrpcDownstreamHealthIndicator;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.ingest.api.grpc.ApiKeyInterceptor;
import io.eventgateway.ingest.api.grpc.IngestGrpcService;
import io.eventgateway.ingest.auth.ApiKeys;
import io.eventgateway.ingest.classify.DynamicClassifier;
import io.eventgateway.ingest.classify.StaticClassifier;
import io.eventgateway.ingest.delay.DelayCap;
import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.flow.FlowControlListener;
import io.eventgateway.ingest.flow.FlowSignalSources;
import io.eventgateway.ingest.flow.SloService;
import io.eventgateway.ingest.pipeline.IngestPipeline;
import io.eventgateway.ingest.publish.PublishMeters;
import io.eventgateway.ingest.publish.InFlightEvents;
import io.eventgateway.ingest.publish.PublisherClient;
import io.eventgateway.ingest.quota.QuotaBuckets;
import io.eventgateway.proto.v1.PrepPublisherGrpc;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * Wires ingest's pipeline: rules, classifiers, the delay cap and the publisher client
 * behind both APIs. Classifier rules, quotas and the AIMD arithmetic follow a refresh.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {

	@Bean
	HotSettings<IngestProperties> ingestSettings(Environment environment, Validator validator) {
		return new HotSettings<>("gateway.ingest", IngestProperties.class, environment, validator);
	}

	@Bean
	BatchLimits batchLimits(IngestProperties properties) {
		return new BatchLimits(properties.limits().maxEvents());
	}

	@Bean
	ApiKeys apiKeys(IngestProperties properties, Environment environment) {
		ApiKeys keys = new ApiKeys(properties.apiKeys());
		boolean prod = "prod".equalsIgnoreCase(environment.getProperty("gateway.environment"));
		if (!keys.required() && prod) {
			// An open ingest lets any client write as any company: a development default.
			throw new IllegalStateException("gateway.environment=prod refuses an ingest without API keys:"
					+ " set gateway.ingest.api-keys.<key>=<company>");
		}
		long plain = properties.apiKeys().keySet().stream().filter((key) -> !ApiKeys.isDigest(key)).count();
		if (plain > 0 && prod) {
			// A plain key is a setting name, shown wherever names are (actuator env).
			throw new IllegalStateException("gateway.environment=prod refuses " + plain
					+ " plain API key(s) in gateway.ingest.api-keys: configure each as its digest,"
					+ " \"[sha256:<64 hex>]\": <company> (java -jar ingest-app.jar --digest-api-key prints it)");
		}
		return keys;
	}

	@Bean
	QuotaBuckets quotaBuckets(HotSettings<IngestProperties> settings) {
		QuotaBuckets buckets = new QuotaBuckets(settings.current().quotaTable(), TimeMeter.SYSTEM_NANOTIME);
		settings.onChange((next) -> buckets.update(next.quotaTable()));
		return buckets;
	}

	@Bean
	SloService sloService(HotSettings<IngestProperties> settings) {
		SloService slo = new SloService(settings.current().aimdSettings(), System::nanoTime);
		settings.onChange((next) -> slo.update(next.aimdSettings()));
		return slo;
	}

	@Bean
	DynamicClassifier dynamicClassifier(QuotaBuckets quotas, SloService slo) {
		return new DynamicClassifier(quotas, slo);
	}

	@Bean
	FlowSignalSources flowSignalSources(Clock clock) {
		return new FlowSignalSources(clock);
	}

	@Bean
	FlowControlListener flowControlListener(SloService slo, FlowSignalSources sources, MeterRegistry registry,
			TopicLayout topics) {
		// Registered at 0, so that a rate alert sees the first bad record as an increase.
		registry.counter("gateway.ingest.records.undecodable", "topic", topics.flowControl());
		registry.counter("gateway.ingest.records.failed", "topic", topics.flowControl());
		return new FlowControlListener(slo, sources,
				(topic) -> registry.counter("gateway.ingest.records.undecodable", "topic", topic).increment(),
				(topic) -> registry.counter("gateway.ingest.records.failed", "topic", topic).increment());
	}

	@Bean
	DelayCap delayCap(IngestProperties properties, GatewayTopicsProperties topics) {
		return properties.delay().cap(topics.retention());
	}

	@Bean
	ManagedChannel publisherChannel(GrpcChannelFactory channels) {
		return channels.createChannel("publisher");
	}

	@Bean
	InFlightEvents publishInFlight(IngestProperties properties) {
		return new InFlightEvents(properties.publisher().maxInFlightEvents());
	}

	@Bean
	PublisherClient publisherClient(ManagedChannel publisherChannel, IngestProperties properties,
			MeterRegistry registry, InFlightEvents publishInFlight) {
		return new PublisherClient(PrepPublisherGrpc.newStub(publisherChannel), properties.publisher().timeout(),
				(int) properties.publisher().maxRequestBytes().toBytes(), new PublishMeters(registry), publishInFlight);
	}

	/** {@code publisher} in {@code /actuator/health}. */
	@Bean
	GrpcDownstreamHealthIndicator publisherHealthIndicator(ManagedChannel publisherChannel) {
		return new GrpcDownstreamHealthIndicator(publisherChannel, Duration.ofSeconds(2));
	}

	@Bean
	IngestPipeline ingestPipeline(IngestProperties properties, HotSettings<IngestProperties> settings,
			DynamicClassifier dynamicClassifier, DelayCap delayCap, PublisherClient publisher, Clock clock,
			EventTracing tracing) {
		AtomicReference<StaticClassifier> classifier = new AtomicReference<>(staticClassifier(settings.current()));
		settings.onChange((next) -> classifier.set(staticClassifier(next)));
		return new IngestPipeline(new EventRules((int) properties.limits().maxEventBytes().toBytes()), classifier::get,
				dynamicClassifier, delayCap, publisher, clock, tracing);
	}

	@Bean
	@GlobalServerInterceptor
	ApiKeyInterceptor apiKeyInterceptor(ApiKeys apiKeys) {
		return new ApiKeyInterceptor(apiKeys);
	}

	@Bean
	IngestGrpcService ingestGrpcService(IngestPipeline pipeline, BatchLimits limits, ApiKeys apiKeys) {
		return new IngestGrpcService(pipeline, limits, apiKeys);
	}

	@Bean
	IngestMetrics ingestMetrics(MeterRegistry registry, SloService slo, DynamicClassifier dynamicClassifier,
			QuotaBuckets quotas, HotSettings<IngestProperties> settings, InFlightEvents publishInFlight) {
		return new IngestMetrics(registry, slo, dynamicClassifier, quotas, settings, publishInFlight);
	}

	@Bean
	IngestGatewayEndpoint ingestGatewayEndpoint(SloService slo, DynamicClassifier dynamicClassifier,
			QuotaBuckets quotas, DelayCap delayCap, HotSettings<IngestProperties> settings, ApiKeys apiKeys,
			FlowSignalSources flowSignalSources) {
		return new IngestGatewayEndpoint(slo, dynamicClassifier, quotas, delayCap, settings, apiKeys,
				flowSignalSources);
	}

	private static StaticClassifier staticClassifier(IngestProperties properties) {
		return new StaticClassifier(properties.classifier().rules(), properties.classifier().defaultPriority());
	}

}
