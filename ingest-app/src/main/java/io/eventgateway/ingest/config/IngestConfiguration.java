package io.eventgateway.ingest.config;

import java.time.Clock;

import io.eventgateway.ingest.api.grpc.IngestGrpcService;
import io.eventgateway.ingest.classify.StaticClassifier;
import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.pipeline.IngestPipeline;
import io.eventgateway.ingest.publish.PublisherClient;
import io.eventgateway.proto.v1.PrepPublisherGrpc;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Wires ingest's pipeline: rules, classifier and the publisher client behind both APIs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestProperties.class)
class IngestConfiguration {

	@Bean
	BatchLimits batchLimits(IngestProperties properties) {
		return new BatchLimits(properties.limits().maxEvents());
	}

	@Bean
	StaticClassifier staticClassifier(IngestProperties properties) {
		return new StaticClassifier(properties.classifier().rules(), properties.classifier().defaultPriority());
	}

	@Bean
	PublisherClient publisherClient(GrpcChannelFactory channels, IngestProperties properties) {
		return new PublisherClient(PrepPublisherGrpc.newBlockingStub(channels.createChannel("publisher")),
				properties.publisher().timeout(), (int) properties.publisher().maxRequestBytes().toBytes());
	}

	@Bean
	IngestPipeline ingestPipeline(IngestProperties properties, StaticClassifier classifier, PublisherClient publisher,
			Clock clock) {
		return new IngestPipeline(new EventRules((int) properties.limits().maxEventBytes().toBytes()), classifier,
				publisher, clock);
	}

	@Bean
	IngestGrpcService ingestGrpcService(IngestPipeline pipeline, BatchLimits limits) {
		return new IngestGrpcService(pipeline, limits);
	}

}
