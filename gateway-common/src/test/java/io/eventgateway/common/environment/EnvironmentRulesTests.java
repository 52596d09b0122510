package io.eventgateway.common.environment;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayCommonAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentRulesTests {

	private static final List<String> PRODUCTION = List.of("*.prod.example.internal", "10.0.0.7");

	private static final List<String> DEVELOPMENT = List.of("localhost", "127.0.0.1", "::1");

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GatewayCommonAutoConfiguration.class))
		.withPropertyValues("gateway.role=test-role", "gateway.topics.create=false",
				"gateway.environment-rules.production-hosts=*.prod.example.internal");

	@Test
	void stagingRefusesProductionHostsNamingTheKey() {
		EnvironmentRules rules = new EnvironmentRules(Stage.STAGING, PRODUCTION, DEVELOPMENT);

		assertThat(rules.violations(Map.of("spring.kafka.bootstrap-servers",
				"b-1.kafka.staging.example.internal:9092,SASL_SSL://b-2.kafka.prod.example.internal:9096")))
			.containsExactly("spring.kafka.bootstrap-servers has production host 'b-2.kafka.prod.example.internal',"
					+ " which a staging instance must not use (gateway.environment-rules.production-hosts)");
		assertThat(rules.violations(Map.of("gateway.publisher.rollout.bootstrap-servers", "10.0.0.7:9092"))).hasSize(1);
	}

	@Test
	void stagingMayUseItsOwnAndLoopbackHosts() {
		EnvironmentRules rules = new EnvironmentRules(Stage.STAGING, PRODUCTION, DEVELOPMENT);

		assertThat(rules.violations(Map.of("a", "b-1.kafka.staging.example.internal:9092", "b", "127.0.0.1:9092")))
			.isEmpty();
	}

	@Test
	void prodRefusesDevelopmentDefaults() {
		EnvironmentRules rules = new EnvironmentRules(Stage.PROD, PRODUCTION, DEVELOPMENT);

		assertThat(rules.violations(Map.of("spring.kafka.bootstrap-servers", "127.0.0.1:9092")))
			.containsExactly("spring.kafka.bootstrap-servers has development host '127.0.0.1', which a prod"
					+ " instance must not use (gateway.environment-rules.development-hosts)");
		assertThat(rules.violations(Map.of("k", "[::1]:9092"))).hasSize(1);
		assertThat(rules.violations(Map.of("k", "b-1.kafka.prod.example.internal:9092"))).isEmpty();
	}

	@Test
	void devMayUseAnythingButProduction() {
		EnvironmentRules rules = new EnvironmentRules(Stage.DEV, PRODUCTION, DEVELOPMENT);

		assertThat(rules.violations(Map.of("k", "localhost:9092"))).isEmpty();
		assertThat(rules.violations(Map.of("k", "x.prod.example.internal:9092"))).hasSize(1);
	}

	@Test
	void aStagingContextWithAProductionAddressDoesNotStart() {
		this.contexts
			.withPropertyValues("gateway.environment=staging",
					"spring.kafka.bootstrap-servers=b-1.kafka.prod.example.internal:9092")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.environment=staging refuses these settings:")
				.hasMessageContaining("spring.kafka.bootstrap-servers has production host"));
	}

	@Test
	void anUnknownEnvironmentDoesNotStart() {
		this.contexts.withPropertyValues("gateway.environment=qa")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.environment must be one of dev, staging, prod; was 'qa'"));
	}

	@Test
	void prodRefusesTopicsOnASingleBrokerNamingTheSettings() {
		EnvironmentRules rules = new EnvironmentRules(Stage.PROD, PRODUCTION, DEVELOPMENT);

		assertThat(rules.replicationViolations((short) 1, 1)).satisfiesExactly(
				(violation) -> assertThat(violation).startsWith("gateway.topics.replication-factor is 1, which a prod"),
				(violation) -> assertThat(violation)
					.startsWith("gateway.topics.min-insync-replicas is 1, which a prod"));
		assertThat(rules.replicationViolations((short) 3, 1)).singleElement()
			.asString()
			.startsWith("gateway.topics.min-insync-replicas is 1");
		assertThat(rules.replicationViolations((short) 3, 2)).isEmpty();
	}

	@Test
	void devAndStagingMayUseASingleBroker() {
		assertThat(new EnvironmentRules(Stage.DEV, PRODUCTION, DEVELOPMENT).replicationViolations((short) 1, 1))
			.isEmpty();
		assertThat(new EnvironmentRules(Stage.STAGING, PRODUCTION, DEVELOPMENT).replicationViolations((short) 1, 1))
			.isEmpty();
	}

	@Test
	void aProdContextThatWouldCreateSingleReplicaTopicsDoesNotStart() {
		this.contexts
			.withPropertyValues("gateway.environment=prod", "gateway.topics.create=true",
					"spring.kafka.bootstrap-servers=b-1.kafka.prod.example.internal:9092")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("gateway.environment=prod refuses these settings:")
				.hasMessageContaining("gateway.topics.replication-factor is 1")
				.hasMessageContaining("gateway.topics.min-insync-replicas is 1"));
	}

	@Test
	void aProdContextThatCreatesReplicatedTopicsStarts() {
		this.contexts
			.withPropertyValues("gateway.environment=prod", "gateway.topics.create=true",
					"gateway.topics.replication-factor=3", "gateway.topics.min-insync-replicas=2",
					"gateway.kafka.security.protocol=SSL", "gateway.kafka.startup-check.enabled=false",
					"spring.kafka.bootstrap-servers=b-1.kafka.prod.example.internal:9092")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aProdContextOnItsOwnClusterStarts() {
		this.contexts
			.withPropertyValues("gateway.environment=prod", "gateway.kafka.security.protocol=SSL",
					"gateway.kafka.startup-check.enabled=false",
					"spring.kafka.bootstrap-servers=b-1.kafka.prod.example.internal:9092")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(EnvironmentRules.class));
	}

}
