package io.eventgateway.common.management;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.environment.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ManagementCredentialsTests {

	@Test
	void theConfiguredUserMatches() {
		ManagementCredentials credentials = ManagementCredentials.of("ops", "s3cret", Stage.DEV);
		assertThat(credentials.configured()).isTrue();
		assertThat(credentials.matches("ops", "s3cret")).isTrue();
	}

	@Test
	void aWrongPasswordOrNameDoesNotMatch() {
		ManagementCredentials credentials = ManagementCredentials.of("ops", "s3cret", Stage.PROD);
		assertThat(credentials.matches("ops", "s3cret ")).isFalse();
		assertThat(credentials.matches("ops", "")).isFalse();
		assertThat(credentials.matches("Ops", "s3cret")).isFalse();
	}

	@Test
	void withoutCredentialsNothingMatches() {
		ManagementCredentials credentials = ManagementCredentials.of(null, " ", Stage.DEV);
		assertThat(credentials.configured()).isFalse();
		assertThat(credentials.matches("", "")).isFalse();
		assertThat(credentials.matches("null", "null")).isFalse();
	}

	@Test
	void stagingStartsWithoutCredentials() {
		assertThat(ManagementCredentials.of("", "", Stage.STAGING).configured()).isFalse();
	}

	@Test
	void prodRefusesToRunWithoutCredentialsNamingBothSettings() {
		assertThatIllegalStateException().isThrownBy(() -> ManagementCredentials.of(null, null, Stage.PROD))
			.withMessageContaining("gateway.environment=prod")
			.withMessageContaining("gateway.management.username")
			.withMessageContaining("gateway.management.password");
	}

	@Test
	void theTextFormNeverShowsTheSecret() {
		assertThat(ManagementCredentials.of("ops", "s3cret", Stage.DEV).toString()).doesNotContain("s3cret")
			.doesNotContain("ops");
	}

}
