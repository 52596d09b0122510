package io.eventgateway.publisher.config;

import io.micrometer.core.instrument.MeterRegistry;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.publisher.api.PrepPublisherGrpcService;
import io.eventgateway.publisher.publish.EventPublisher;
import io.eventgateway.publisher.publish.PublishMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires the publisher: the auto-configured Kafka template behind the PublishEvents
 * endpoint.
 */
@Configuration(proxyBeanMethods = false)
class PublisherConfiguration {

	@Bean
	PublishMetrics publishMetrics(MeterRegistry registry) {
		return new PublishMetrics(registry);
	}

	@Bean
	EventPublisher eventPublisher(KafkaTemplate<String, byte[]> kafkaTemplate, TopicLayout topics,
			PublishMetrics metrics) {
		return new EventPublisher(kafkaTemplate, topics, metrics);
	}

	@Bean
	PrepPublisherGrpcService prepPublisherGrpcService(EventPublisher publisher) {
		return new PrepPublisherGrpcService(publisher);
	}

}
