package io.eventgateway.configserver.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.configserver.ConfigServerApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.security.crypto.encrypt.TextEncryptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A Spring Cloud Config client importing its settings as the roles do
 * ({@code optional:configserver:}, account in
 * {@code spring.cloud.config.username/password}), from a real config server over loopback
 * HTTP.
 */
class ConfigClientAuthenticationTests {

	private static final String USERNAME = "gateway-roles";

	private static final String PASSWORD = "client-test-password";

	private static final String SECRET = "the-kafka-password";

	@TempDir
	static Path repo;

	private static ConfigurableApplicationContext server;

	private static String cipher;

	@BeforeAll
	static void start() throws Exception {
		Files.writeString(repo.resolve("application.yml"), "gateway:\n  topics:\n    prefix: from-the-server\n");
		server = new SpringApplicationBuilder(ConfigServerApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--spring.profiles.active=native",
				"--spring.cloud.config.server.native.search-locations=" + repo.toUri(),
				"--gateway.config-server.username=" + USERNAME, "--gateway.config-server.password=" + PASSWORD,
				"--encrypt.key=another-test-key");
		cipher = server.getBean(TextEncryptor.class).encrypt(SECRET);
		Files.writeString(repo.resolve("client-app.yml"),
				"gateway:\n  example:\n    password: '{cipher}" + cipher + "'\n");
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void withTheAccountTheClientGetsItsSettings() {
		try (ConfigurableApplicationContext client = client(USERNAME, PASSWORD)) {
			assertThat(client.getEnvironment().getProperty("gateway.topics.prefix")).isEqualTo("from-the-server");
		}
	}

	@Test
	void withoutAnAccountTheClientStartsOnItsDefaults() {
		try (ConfigurableApplicationContext client = client(null, null)) {
			assertThat(client.getEnvironment().getProperty("gateway.topics.prefix")).isNull();
		}
	}

	@Test
	void withAWrongPasswordTheClientStartsOnItsDefaults() {
		try (ConfigurableApplicationContext client = client(USERNAME, "wrong")) {
			assertThat(client.getEnvironment().getProperty("gateway.topics.prefix")).isNull();
		}
	}

	@Test
	void withAWrongPasswordAFailFastClientRefusesToStartWith401() {
		assertThatException().isThrownBy(() -> client(USERNAME, "wrong", "--spring.cloud.config.fail-fast=true"))
			.satisfies((ex) -> assertThat(causes(ex)).contains("401"));
	}

	@Test
	void anEncryptedValueReachesTheClientDecryptedAndItsCipherTextNowhere() {
		try (ConfigurableApplicationContext client = client(USERNAME, PASSWORD)) {
			ConfigurableEnvironment environment = client.getEnvironment();

			assertThat(environment.getProperty("gateway.example.password")).isEqualTo(SECRET);
			for (PropertySource<?> source : environment.getPropertySources()) {
				if (source instanceof EnumerablePropertySource<?> enumerable) {
					for (String name : enumerable.getPropertyNames()) {
						assertThat(String.valueOf(enumerable.getProperty(name))).as(name)
							.doesNotContain("{cipher}")
							.doesNotContain(cipher);
					}
				}
			}
		}
	}

	private static ConfigurableApplicationContext client(String username, String password, String... extra) {
		List<String> args = new ArrayList<>(List.of("--spring.main.banner-mode=off",
				// Not config-server's own application.yml, which sits on this classpath.
				"--spring.config.name=client-app", "--spring.application.name=client-app",
				// The config server's library turns the client off on its classpath.
				"--spring.cloud.config.enabled=true", "--spring.config.import=optional:configserver:http://127.0.0.1:"
						+ server.getEnvironment().getProperty("local.server.port")));
		if (username != null) {
			args.add("--spring.cloud.config.username=" + username);
			args.add("--spring.cloud.config.password=" + password);
		}
		args.addAll(List.of(extra));
		return new SpringApplicationBuilder(ClientApplication.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	private static String causes(Throwable ex) {
		StringBuilder all = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			all.append(cause).append('\n');
		}
		return all.toString();
	}

	@Configuration(proxyBeanMethods = false)
	static class ClientApplication {

	}

}
