package io.eventgateway.configserver.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ClientCredentialsTests {

	@Test
	void anAccountWithBothValuesIsUsed() {
		assertThat(ClientCredentials.check(new ConfigServerSecurityProperties("roles", "pw"), "prod")).isPresent();
	}

	@Test
	void aProdServerWithoutAnAccountRefusesToStartNamingTheSettings() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ClientCredentials.check(new ConfigServerSecurityProperties("", ""), "prod"))
			.withMessageContaining("gateway.config-server.username")
			.withMessageContaining("gateway.config-server.password")
			.withMessageContaining("CONFIG_SERVER_USERNAME");
	}

	@Test
	void aHalfConfiguredAccountIsRefusedInEveryStage() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ClientCredentials.check(new ConfigServerSecurityProperties("roles", null), "dev"))
			.withMessageContaining("half configured");
		assertThatIllegalStateException()
			.isThrownBy(() -> ClientCredentials.check(new ConfigServerSecurityProperties(null, "pw"), "staging"))
			.withMessageContaining("gateway.config-server.username");
	}

	@Test
	void aDevServerWithoutAnAccountStartsWithNobodyAllowedIn() {
		assertThat(ClientCredentials.check(new ConfigServerSecurityProperties(null, null), "dev")).isEmpty();
		assertThat(ClientCredentials
			.accounts(new ConfigServerSecurityProperties(null, null), "dev", new DigestPasswordEncoder())
			.userExists("user")).isFalse();
	}

	@Test
	void thePasswordIsKeptAsADigestAndMatchesOnlyItself() {
		DigestPasswordEncoder encoder = new DigestPasswordEncoder();
		String kept = encoder.encode("pw");

		assertThat(kept).doesNotContain("pw").hasSize(64);
		assertThat(encoder.matches("pw", kept)).isTrue();
		assertThat(encoder.matches("pw2", kept)).isFalse();
		assertThat(encoder.matches("pw", "not hex")).isFalse();
	}

	@Test
	void thePasswordIsNeverShown() {
		assertThat(new ConfigServerSecurityProperties("roles", "pw"))
			.hasToString("ConfigServerSecurityProperties[username=roles, password=******]");
	}

}
