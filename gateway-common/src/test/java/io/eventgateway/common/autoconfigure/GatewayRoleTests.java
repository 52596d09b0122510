package io.eventgateway.common.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayRoleTests {

	@Test
	void aRolesSettingsFileNameMakesARole() {
		for (String name : new String[] { "ingest-app", "publisher-app", "orchestrator-app", "worker-app" }) {
			assertThat(GatewayRole.of(new MockEnvironment().withProperty("spring.config.name", name))).as(name)
				.isTrue();
		}
	}

	@Test
	void aTeamsApplicationIsNoRole() {
		assertThat(GatewayRole.of(new MockEnvironment())).isFalse();
		assertThat(GatewayRole.of(new MockEnvironment().withProperty("spring.config.name", "application"))).isFalse();
		assertThat(GatewayRole.of(new MockEnvironment().withProperty("gateway.role", " "))).isFalse();
	}

}
