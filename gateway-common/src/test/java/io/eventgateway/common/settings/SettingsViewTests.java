package io.eventgateway.common.settings;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsViewTests {

	@Test
	void secretLikeNamesAreSecret() {
		assertThat(List.of("password", "sasl.password", "trustStorePassword", "ssl.key-password", "client-secret",
				"token", "credentials", "api-keys", "apiKeys", "spring.kafka.properties.sasl.jaas.config",
				"private-key", "PRIVATE_KEY"))
			.allMatch(SecretKeys::isSecret);
		assertThat(List.of("percentage", "bootstrap-servers", "username", "token-endpoint-url", "key-store-type",
				"api-keys-required-hint-url"))
			.noneMatch(SecretKeys::isSecret);
	}

	@Test
	void aNameUnderASecretMapIsLoggedWithoutItsKey() {
		assertThat(SecretKeys.maskedName("gateway.ingest.api-keys.k3y")).isEqualTo("gateway.ingest.api-keys.******");
		assertThat(SecretKeys.maskedName("gateway.ingest.api-keys[k3y.with.dots]"))
			.isEqualTo("gateway.ingest.api-keys[******]");
		assertThat(SecretKeys.maskedName("gateway.kafka.security.sasl.password"))
			.isEqualTo("gateway.kafka.security.sasl.password");
		assertThat(SecretKeys.maskedName("gateway.ingest.quotas.defaults.burst"))
			.isEqualTo("gateway.ingest.quotas.defaults.burst");
	}

	@Test
	void aRecordIsShownWithItsSecretsMasked() {
		Cluster cluster = new Cluster("kafka:9092", new Sasl("svc", "hunter2"), Map.of("key-1", "acme"));

		Object view = SettingsView.redacted(cluster);

		assertThat(view).isEqualTo(Map.of("bootstrapServers", "kafka:9092", "sasl",
				Map.of("username", "svc", "password", SecretKeys.MASK), "apiKeys", SecretKeys.MASK));
		assertThat(String.valueOf(view)).doesNotContain("hunter2", "key-1");
	}

	@Test
	void mapsAndListsAreWalkedToo() {
		Object view = SettingsView.redacted(
				Map.of("clusters", List.of(Map.of("sasl.jaas.config", "... password=\"hunter2\";", "name", "a"))));

		assertThat(String.valueOf(view)).doesNotContain("hunter2").contains("name=a");
	}

	@Test
	void anUnsetSecretStaysUnset() {
		@SuppressWarnings("unchecked")
		Map<String, Object> view = (Map<String, Object>) SettingsView.redacted(new Sasl("svc", null));

		assertThat(view).containsEntry("username", "svc").containsEntry("password", null);
	}

	record Sasl(String username, String password) {
	}

	record Cluster(String bootstrapServers, Sasl sasl, Map<String, String> apiKeys) {
	}

}
