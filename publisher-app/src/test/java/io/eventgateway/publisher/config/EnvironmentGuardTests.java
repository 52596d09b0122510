package io.eventgateway.publisher.config;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.publisher.PublisherApplication;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A publisher told it runs in staging but pointed at a production cluster refuses to
 * start, before any client connects, and says which setting is wrong.
 */
class EnvironmentGuardTests {

	@Test
	void aStagingPublisherWithAProductionBootstrapAddressDoesNotStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> GatewayApplications.builder(PublisherApplication.class, PublisherApplication.ROLE)
				.run("--gateway.environment=staging",
						"--gateway.environment-rules.production-hosts=*.prod.example.internal",
						"--spring.kafka.bootstrap-servers=b-1.kafka.staging.example.internal:9092",
						"--gateway.publisher.rollout.bootstrap-servers=b-1.kafka.prod.example.internal:9092",
						"--server.port=0", "--spring.grpc.server.port=0", "--spring.cloud.bus.enabled=false"))
			.withMessage(
					"gateway.environment=staging refuses these settings: gateway.publisher.rollout.bootstrap-servers"
							+ " has production host 'b-1.kafka.prod.example.internal', which a staging instance must not use"
							+ " (gateway.environment-rules.production-hosts)");
	}

	@Test
	void aProdPublisherOnTheDevelopmentDefaultDoesNotStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> GatewayApplications.builder(PublisherApplication.class, PublisherApplication.ROLE)
				.run("--gateway.environment=prod", "--server.port=0", "--spring.grpc.server.port=0",
						"--spring.cloud.bus.enabled=false"))
			.withMessageContaining("spring.kafka.bootstrap-servers has development host '127.0.0.1'");
	}

	@Test
	void aProdPublisherOnAPlaintextClusterDoesNotStart() {
		assertThatIllegalStateException().isThrownBy(() -> GatewayApplications
			.builder(PublisherApplication.class, PublisherApplication.ROLE)
			.run("--gateway.environment=prod", "--spring.kafka.bootstrap-servers=b-1.kafka.prod.example.internal:9093",
					"--gateway.kafka.security.protocol=SASL_PLAINTEXT", "--gateway.kafka.security.sasl.mechanism=PLAIN",
					"--gateway.kafka.security.sasl.username=gw", "--gateway.kafka.security.sasl.password=pw",
					"--server.port=0", "--spring.grpc.server.port=0", "--spring.cloud.bus.enabled=false"))
			.withMessageContaining(
					"gateway.kafka.security.protocol is SASL_PLAINTEXT, which a prod instance must not use");
	}

	@Test
	void aProdPublisherWithADirectorySpoolNotDeclaredPersistentDoesNotStart() {
		assertThatThrownBy(() -> GatewayApplications.builder(PublisherApplication.class, PublisherApplication.ROLE)
			.run("--gateway.environment=prod", "--spring.kafka.bootstrap-servers=b-1.kafka.prod.example.internal:9092",
					"--gateway.kafka.security.protocol=SSL", "--gateway.kafka.startup-check.enabled=false",
					"--gateway.topics.create=false", "--server.port=0", "--spring.grpc.server.port=0",
					"--spring.cloud.bus.enabled=false"))
			.rootCause()
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("gateway.environment=prod refuses a directory spool that is not declared persistent")
			.hasMessageContaining("gateway.publisher.spool.persistent=true");
	}

}
