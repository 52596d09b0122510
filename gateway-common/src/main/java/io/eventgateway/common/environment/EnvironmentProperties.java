package io.eventgateway.common.environment;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The host lists behind the environment rules ({@code gateway.environment} says where
 * this instance runs).
 *
 * @param productionHosts hosts only production may use, for example
 * {@code *.prod.example.internal}
 * @param developmentHosts hosts production must not use
 * @param guardedKeys the settings holding cluster addresses
 */
@ConfigurationProperties("gateway.environment-rules")
public record EnvironmentProperties(@DefaultValue List<String> productionHosts, @DefaultValue( {
		"localhost", "127.0.0.1", "::1", "*.localhost" }) List<String> developmentHosts,
		@DefaultValue({ "spring.kafka.bootstrap-servers", "spring.kafka.producer.bootstrap-servers",
				"spring.kafka.consumer.bootstrap-servers", "gateway.publisher.rollout.bootstrap-servers",
				"gateway.publisher.fallback-cluster.bootstrap-servers",
				"gateway.orchestrator.flow-control.bootstrap-servers" }) List<String> guardedKeys){

}
