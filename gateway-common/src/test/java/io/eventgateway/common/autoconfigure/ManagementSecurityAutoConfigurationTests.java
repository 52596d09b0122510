package io.eventgateway.common.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.eventgateway.common.management.ManagementCredentials;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ManagementSecurityAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(GatewayCommonAutoConfiguration.class,
				ManagementSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class))
		// Topics are created elsewhere, so that prod's replication rules stay out of the
		// way.
		// A prod instance also refuses clear-text Kafka: these tests are about the rest.
		.withPropertyValues("gateway.role=test-role", "gateway.topics.create=false",
				"gateway.kafka.security.protocol=SSL", "gateway.kafka.startup-check.enabled=false");

	@Test
	void prodRefusesToStartWithoutManagementCredentials() {
		this.contextRunner.withPropertyValues("gateway.environment=prod").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("gateway.environment=prod refuses to start without management credentials")
				.hasMessageContaining("gateway.management.username")
				.hasMessageContaining("gateway.management.password");
		});
	}

	@Test
	void prodStartsWithManagementCredentials() {
		this.contextRunner
			.withPropertyValues("gateway.environment=prod", "gateway.management.username=ops",
					"gateway.management.password=s3cret")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ManagementCredentials.class).matches("ops", "s3cret")).isTrue();
			});
	}

	@Test
	void devStartsWithoutCredentialsAndSaysOnceHowToSetThem(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ManagementCredentials.class).configured()).isFalse();
		});
		assertThat(output.getAll().split("No management credentials are set", -1)).hasSize(2);
		assertThat(output).contains("set gateway.management.username and gateway.management.password");
	}

	@Test
	void aUsernameWithoutPasswordIsRefusedNamingTheMissingSetting() {
		this.contextRunner.withPropertyValues("gateway.management.username=ops").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("only gateway.management.username is set");
		});
	}

	@Test
	void settingsNeverShowThePassword(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("gateway.management.username=ops", "gateway.management.password=pa55-word-42")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(GatewayManagementProperties.class).toString()).contains("ops")
					.doesNotContain("pa55-word-42");
			});
		assertThat(output).doesNotContain("pa55-word-42");
	}

	@Test
	void managementAndApplicationChainsReplaceSpringBootsDefaultUser(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(SecurityFilterChain.class))
				.containsOnlyKeys("managementSecurityFilterChain", "applicationSecurityFilterChain");
			assertThat(context).doesNotHaveBean(UserDetailsService.class);
		});
		assertThat(output).doesNotContain("Using generated security password");
	}

	@Test
	void anApplicationThatIsNotARoleKeepsSpringBootsSecurity() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GatewayCommonAutoConfiguration.class,
					ManagementSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
					ServletWebSecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class))
			.withPropertyValues("gateway.environment=prod", "spring.config.name=application")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ManagementCredentials.class);
				assertThat(context).doesNotHaveBean("applicationSecurityFilterChain");
				assertThat(context).doesNotHaveBean("managementSecurityFilterChain");
				// Spring Boot's own default chain and user, as without the gateway.
				assertThat(context).hasSingleBean(SecurityFilterChain.class);
				assertThat(context).hasSingleBean(UserDetailsService.class);
			});
	}

	@Test
	void aRoleStartedByItsSettingsFileNameIsARole() {
		this.contextRunner.withPropertyValues("gateway.role=", "spring.config.name=ingest-app").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(SecurityFilterChain.class))
				.containsOnlyKeys("managementSecurityFilterChain", "applicationSecurityFilterChain");
		});
	}

	@Test
	void aNonWebApplicationGetsNoSecurity() {
		new org.springframework.boot.test.context.runner.ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GatewayCommonAutoConfiguration.class,
					ManagementSecurityAutoConfiguration.class))
			.withPropertyValues("gateway.topics.create=false", "gateway.kafka.security.protocol=SSL",
					"gateway.kafka.startup-check.enabled=false", "gateway.environment=prod")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ManagementCredentials.class);
			});
	}

}
