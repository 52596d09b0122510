package io.eventgateway.common.settings;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretKeysTests {

	@Test
	void keysAndPassphrasesAreSecretWhateverTheirSpelling() {
		assertThat(SecretKeys.isSecret("encrypt.key")).isTrue();
		assertThat(SecretKeys.isSecret("gateway.spool.s3.secret-access-key")).isTrue();
		assertThat(SecretKeys.isSecret("accessKey")).isTrue();
		assertThat(SecretKeys.isSecret("signing-key")).isTrue();
		assertThat(SecretKeys.isSecret("ssl.key-store.passphrase")).isTrue();
		assertThat(SecretKeys.isSecret("spring.kafka.producer.key-serializer")).isFalse();
	}

	@Test
	void anAddressIsShownWithoutTheCredentialsItCarries() {
		assertThat(SecretKeys.shown("spring.cloud.config.uri", "https://ops:hunter2@config.internal:8888/x"))
			.isEqualTo("https://******@config.internal:8888/x");
		assertThat(SecretKeys.shown("token-endpoint-url", "https://idp.internal/token"))
			.isEqualTo("https://idp.internal/token");
		assertThat(SecretKeys.shown("company", "ops@example.com")).isEqualTo("ops@example.com");
	}

}
