package io.eventgateway.common.kafka.security;

import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.kafka.security.KafkaSecurity.Mechanism;
import io.eventgateway.common.kafka.security.KafkaSecurity.Protocol;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSecurityTests {

	private static final String PREFIX = "gateway.kafka.security";

	@Test
	void scramCredentialsBecomeAJaasConfigKafkaParsesBackToTheSameValues() {
		String password = "p\"a\\ss;word} x";
		KafkaSecurity security = new KafkaSecurity(Protocol.SASL_SSL,
				new Sasl(Mechanism.SCRAM_SHA_512, "gate\"way", password, null), null);

		Map<String, Object> properties = security.clientProperties();

		assertThat(properties).containsEntry("security.protocol", "SASL_SSL")
			.containsEntry("sasl.mechanism", "SCRAM-SHA-512");
		AppConfigurationEntry entry = JaasContext
			.loadClientContext(Map.of("sasl.jaas.config", new Password((String) properties.get("sasl.jaas.config"))))
			.configurationEntries()
			.get(0);
		assertThat(entry.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
		assertThat(entry.getOptions().get("username")).isEqualTo("gate\"way");
		assertThat(entry.getOptions().get("password")).isEqualTo(password);
	}

	@Test
	void plainUsesThePlainLoginModule() {
		KafkaSecurity security = new KafkaSecurity(Protocol.SASL_SSL, new Sasl(Mechanism.PLAIN, "u", "p", null), null);

		assertThat((String) security.clientProperties().get("sasl.jaas.config"))
			.startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required");
	}

	@Test
	void oauthBearerUsesTheTokenEndpointAndTheLoginCallbackHandler() {
		KafkaSecurity security = new KafkaSecurity(Protocol.SASL_SSL, new Sasl(Mechanism.OAUTHBEARER, null, null,
				new Sasl.Oauthbearer("https://idp.example.com/token", "gateway", "s3cret")), null);

		assertThat(security.problems(PREFIX)).isEmpty();
		assertThat(security.clientProperties()).containsEntry("sasl.mechanism", "OAUTHBEARER")
			.containsEntry("sasl.jaas.config",
					"org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;")
			.containsEntry("sasl.login.callback.handler.class",
					"org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler")
			.containsEntry("sasl.oauthbearer.token.endpoint.url", "https://idp.example.com/token")
			.containsEntry("sasl.oauthbearer.client.credentials.client.id", "gateway")
			.containsEntry("sasl.oauthbearer.client.credentials.client.secret", "s3cret");
	}

	@Test
	void tlsStoresBecomeSslProperties() {
		KafkaSecurity security = new KafkaSecurity(Protocol.SSL, null,
				new Ssl("/etc/kafka/truststore.p12", "tpw", "PKCS12", "/etc/kafka/client.p12", "kpw", null, null));

		assertThat(security.problems(PREFIX)).isEmpty();
		assertThat(security.clientProperties()).containsEntry("security.protocol", "SSL")
			.containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
			.containsEntry("ssl.truststore.password", "tpw")
			.containsEntry("ssl.truststore.type", "PKCS12")
			.containsEntry("ssl.keystore.location", "/etc/kafka/client.p12")
			.containsEntry("ssl.keystore.password", "kpw")
			.doesNotContainKeys("sasl.mechanism", "sasl.jaas.config", "ssl.key.password");
	}

	@Test
	void toStringShowsNoSecret() {
		KafkaSecurity security = new KafkaSecurity(Protocol.SASL_SSL,
				new Sasl(Mechanism.SCRAM_SHA_256, "gateway", "hunter2",
						new Sasl.Oauthbearer("https://idp.example.com/token", "id", "client-secret-value")),
				new Ssl("/t.p12", "trust-secret", null, "/k.p12", "key-store-secret", null, "key-secret"));

		assertThat(security.toString()).contains("gateway", "/t.p12", "******")
			.doesNotContain("hunter2", "client-secret-value", "trust-secret", "key-store-secret", "key-secret");
	}

	@Test
	void missingAndContradictorySettingsAreNamed() {
		assertThat(new KafkaSecurity(Protocol.SASL_SSL, null, null).problems(PREFIX))
			.containsExactly("gateway.kafka.security.sasl.mechanism is required with protocol SASL_SSL"
					+ " (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN or OAUTHBEARER)");
		assertThat(new KafkaSecurity(Protocol.SASL_SSL, new Sasl(Mechanism.SCRAM_SHA_256, "u", null, null), null)
			.problems(PREFIX))
			.containsExactly("gateway.kafka.security.sasl.password is required with mechanism SCRAM-SHA-256");
		assertThat(new KafkaSecurity(Protocol.SASL_SSL, new Sasl(Mechanism.PLAIN, "u", "a\nb", null), null)
			.problems(PREFIX)).containsExactly("gateway.kafka.security.sasl.password must not contain a line break");
		assertThat(new KafkaSecurity(Protocol.SASL_SSL,
				new Sasl(Mechanism.OAUTHBEARER, null, null, new Sasl.Oauthbearer("ftp://x", "id", null)), null)
			.problems(PREFIX)).containsExactly(
					"gateway.kafka.security.sasl.oauthbearer.token-endpoint-url must be an http or https URL; was 'ftp://x'",
					"gateway.kafka.security.sasl.oauthbearer.client-secret is required with mechanism OAUTHBEARER");
		assertThat(new KafkaSecurity(Protocol.PLAINTEXT, null, new Ssl("/t", null, null, null, null, null, null))
			.problems(PREFIX)).containsExactly(
					"gateway.kafka.security.ssl.* is set but gateway.kafka.security.protocol PLAINTEXT does not use TLS"
							+ " (SSL or SASL_SSL)");
		assertThat(new KafkaSecurity(Protocol.SSL, null, new Ssl(null, null, null, "/k.p12", null, null, null))
			.problems(PREFIX))
			.containsExactly("gateway.kafka.security.ssl.key-store-password is required with"
					+ " gateway.kafka.security.ssl.key-store-location");
	}

	@Test
	void bindsFromTheDocumentedKeys() {
		MapConfigurationPropertySource source = new MapConfigurationPropertySource(Map.of(
				"gateway.kafka.security.protocol", "SASL_SSL", "gateway.kafka.security.sasl.mechanism", "SCRAM-SHA-256",
				"gateway.kafka.security.sasl.username", "gw", "gateway.kafka.security.sasl.password", "pw",
				"gateway.kafka.security.sasl.oauthbearer.token-endpoint-url", "https://idp/token",
				"gateway.kafka.security.ssl.trust-store-location", "/t.p12",
				"gateway.kafka.security.ssl.key-store-type", "PEM"));

		KafkaSecurity security = new Binder(source).bindOrCreate(PREFIX, Bindable.of(KafkaSecurity.class));

		assertThat(security.protocol()).isEqualTo(Protocol.SASL_SSL);
		assertThat(security.sasl().mechanism()).isEqualTo(Mechanism.SCRAM_SHA_256);
		assertThat(security.sasl().username()).isEqualTo("gw");
		assertThat(security.sasl().password()).isEqualTo("pw");
		assertThat(security.sasl().oauthbearer().tokenEndpointUrl()).isEqualTo("https://idp/token");
		assertThat(security.ssl().trustStoreLocation()).isEqualTo("/t.p12");
		assertThat(security.ssl().keyStoreType()).isEqualTo("PEM");
	}

}
