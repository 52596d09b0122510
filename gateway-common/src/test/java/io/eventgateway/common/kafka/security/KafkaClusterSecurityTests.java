package io.eventgateway.common.kafka.security;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.environment.Stage;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClusterSecurityTests {

	private static final Map<String, String> PRIMARY_SCRAM = Map.of("spring.kafka.bootstrap-servers", "b-1.kafka:9093",
			"gateway.kafka.security.protocol", "SASL_SSL", "gateway.kafka.security.sasl.mechanism", "SCRAM-SHA-512",
			"gateway.kafka.security.sasl.username", "gw", "gateway.kafka.security.sasl.password", "pw",
			"gateway.kafka.security.ssl.trust-store-location", "/primary-trust.p12");

	@Test
	void aClusterWithoutItsOwnSettingsUsesThePrimarysAndSaysSo() {
		Map<String, String> settings = new HashMap<>(PRIMARY_SCRAM);
		settings.put("gateway.publisher.fallback-cluster.bootstrap-servers", "fb-1.kafka:9093");
		KafkaClusterSecurity security = bind(settings);
		Map<String, Object> primaryClient = Map.of("bootstrap.servers", "b-1.kafka:9093", "security.protocol",
				"SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "acks", "all");

		assertThat(security.inheritsPrimary(KafkaCluster.FALLBACK)).isTrue();
		assertThat(security.forCluster(KafkaCluster.FALLBACK, primaryClient)).isEqualTo(primaryClient);
		assertThat(security.inheritanceNotes()).containsExactly("The fallback Kafka cluster has no"
				+ " gateway.publisher.fallback-cluster.security.*; its clients use the primary cluster's"
				+ " (gateway.kafka.security.*, else spring.kafka.*)");
	}

	@Test
	void aClusterWithItsOwnSettingsReplacesEveryOneOfThePrimarys() {
		Map<String, String> settings = new HashMap<>(PRIMARY_SCRAM);
		settings.put("gateway.publisher.rollout.bootstrap-servers", "r-1.kafka:9093");
		settings.put("gateway.publisher.rollout.security.protocol", "SSL");
		settings.put("gateway.publisher.rollout.security.ssl.key-store-location", "/rollout-client.p12");
		settings.put("gateway.publisher.rollout.security.ssl.key-store-password", "kpw");
		KafkaClusterSecurity security = bind(settings);
		Map<String, Object> primaryClient = Map.of("bootstrap.servers", "b-1.kafka:9093", "security.protocol",
				"SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "x", "ssl.truststore.location",
				"/primary-trust.p12", "acks", "all");

		Map<String, Object> rollout = security.forCluster(KafkaCluster.ROLLOUT, primaryClient);

		assertThat(rollout).containsEntry("security.protocol", "SSL")
			.containsEntry("ssl.keystore.location", "/rollout-client.p12")
			.containsEntry("acks", "all")
			.doesNotContainKeys("sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location");
		assertThat(security.inheritanceNotes()).isEmpty();
	}

	@Test
	void prodRefusesClearTextOnAnyClusterNamingTheSetting() {
		Map<String, String> settings = new HashMap<>(PRIMARY_SCRAM);
		settings.put("gateway.kafka.security.protocol", "SASL_PLAINTEXT");
		settings.put("gateway.kafka.security.ssl.trust-store-location", "");
		settings.put("gateway.orchestrator.flow-control.bootstrap-servers", "i-1.kafka:9092");
		settings.put("gateway.orchestrator.flow-control.security.protocol", "PLAINTEXT");
		KafkaClusterSecurity security = bind(settings);

		assertThat(security.violations(Stage.PROD)).hasSize(2)
			.anySatisfy((violation) -> assertThat(violation)
				.startsWith("gateway.kafka.security.protocol is SASL_PLAINTEXT, which a prod instance must not use"))
			.anySatisfy((violation) -> assertThat(violation).startsWith(
					"gateway.orchestrator.flow-control.security.protocol is PLAINTEXT, which a prod instance must not use"));
		assertThat(security.violations(Stage.STAGING)).isEmpty();
	}

	@Test
	void prodRefusesAPrimaryWithNoSecurityAtAll() {
		KafkaClusterSecurity security = bind(Map.of("spring.kafka.bootstrap-servers", "b-1.kafka:9092"));

		assertThat(security.violations(Stage.PROD)).containsExactly(
				"gateway.kafka.security.protocol is PLAINTEXT (not set), which a prod instance must not use"
						+ " for the primary Kafka cluster: events and credentials would travel unencrypted (SSL or SASL_SSL)");
	}

	@Test
	void prodAcceptsTlsGivenThroughSpringKafka() {
		KafkaClusterSecurity security = bind(
				Map.of("spring.kafka.bootstrap-servers", "b-1.kafka:9093", "spring.kafka.security.protocol", "SSL"));

		assertThat(security.violations(Stage.PROD)).isEmpty();
	}

	@Test
	void oauthTokenEndpointsAreAllowedForKafkaKeepingThoseAlreadyAllowed() {
		String before = System.getProperty(KafkaClusterSecurity.ALLOWED_URLS_PROPERTY);
		try {
			System.setProperty(KafkaClusterSecurity.ALLOWED_URLS_PROPERTY, "https://other/token");
			bind(Map.of("gateway.kafka.security.protocol", "SASL_SSL", "gateway.kafka.security.sasl.mechanism",
					"OAUTHBEARER", "gateway.kafka.security.sasl.oauthbearer.token-endpoint-url",
					"https://idp.example.com/token", "gateway.kafka.security.sasl.oauthbearer.client-id", "id",
					"gateway.kafka.security.sasl.oauthbearer.client-secret", "s"))
				.allowTokenEndpoints();

			assertThat(System.getProperty(KafkaClusterSecurity.ALLOWED_URLS_PROPERTY))
				.isEqualTo("https://other/token,https://idp.example.com/token");
		}
		finally {
			if (before == null) {
				System.clearProperty(KafkaClusterSecurity.ALLOWED_URLS_PROPERTY);
			}
			else {
				System.setProperty(KafkaClusterSecurity.ALLOWED_URLS_PROPERTY, before);
			}
		}
	}

	private static KafkaClusterSecurity bind(Map<String, String> settings) {
		return KafkaClusterSecurity.bind(new Binder(new MapConfigurationPropertySource(settings)));
	}

}
