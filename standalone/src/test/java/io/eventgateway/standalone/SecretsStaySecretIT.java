package io.eventgateway.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.settings.SecretKeys;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.configserver.test.GitSettingsRepo;
import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.ingest.auth.ApiKeys;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No secret value is logged or shown: an ingest instance with API keys (one plain, one as
 * its digest), a Kafka JAAS password and config-server credentials, started, used, and
 * refreshed twice (directly and over the bus) with a new key, logs at INFO and serves
 * {@code /actuator/gateway}, {@code env} and {@code configprops}; none of it holds any of
 * the secret values.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsStaySecretIT {

	private static final String PREFIX = "secrets-it";

	private static final String PLAIN_KEY = "plain-k3y-0001";

	/** Configured only as its digest; clients send it. */
	private static final String DIGESTED_KEY = "digest-k3y-0002";

	private static final String JAAS_PASSWORD = "jaas-pa55-0003";

	private static final String CONFIG_TOKEN = "cfg-t0ken-0004";

	private static final String FRESH_KEY = "fresh-k3y-0006";

	private static final String MANAGEMENT_PASSWORD = "mgmt-pa55-0007";

	private static final String CONFIG_PASSWORD_ARG = "--spring.cloud.config.password=";

	private static final List<String> SECRETS = List.of(PLAIN_KEY, DIGESTED_KEY, JAAS_PASSWORD, CONFIG_TOKEN, FRESH_KEY,
			MANAGEMENT_PASSWORD);

	@TempDir
	Path folder;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void noSecretValueIsLoggedOrShownAcrossStartUseAndRefresh(CapturedOutput output) throws Exception {
		String configPassword;
		try (GitSettingsRepo repo = GitSettingsRepo.create(this.folder)) {
			repo.commit("ingest-app.yml", settings(10000, ""));
			try (EmbeddedConfigServer configServer = TestConfigServer.start(repo);
					ConfigurableApplicationContext ingest = ingest(configServer)) {
				configPassword = configServer.clientArgs()
					.stream()
					.filter((arg) -> arg.startsWith(CONFIG_PASSWORD_ARG))
					.map((arg) -> arg.substring(CONFIG_PASSWORD_ARG.length()))
					.findFirst()
					.orElseThrow();
				ActuatorClient actuator = new ActuatorClient(ingest);
				int port = ingest.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
				assertThat(post(port, PLAIN_KEY, "c1").statusCode()).isNotEqualTo(401);
				assertThat(post(port, DIGESTED_KEY, "c2").statusCode()).isNotEqualTo(401);

				repo.commit("ingest-app.yml", settings(20000, "      " + FRESH_KEY + ": c3\n"));
				assertThat(actuator.post("refresh").statusCode()).isEqualTo(200);
				repo.commit("ingest-app.yml", settings(30000, "      " + FRESH_KEY + ": c3\n"));
				assertThat(actuator.post("busrefresh").statusCode()).isBetween(200, 204);
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(
							ActuatorClient.at(actuator.gateway(), "quotas.settings.defaults.eventsPerSecond"))
						.isEqualTo(30000));

				String gateway = actuator.get("gateway").body();
				assertThat(gateway).contains("\"apiKeysRequired\":true").doesNotContain(SECRETS);
				// Values are never shown; names are, and a plain API key is a name
				// (digests
				// are what a production instance accepts).
				String settings = actuator.get("env").body() + actuator.get("configprops").body();
				assertThat(settings).contains(SecretKeys.MASK)
					.doesNotContain(DIGESTED_KEY, JAAS_PASSWORD, CONFIG_TOKEN, configPassword, MANAGEMENT_PASSWORD);
				assertThat(String.valueOf(ingest.getBean("ingestSettings", HotSettings.class).current()))
					.doesNotContain(SECRETS);
			}
		}

		assertThat(output.getAll()).contains("Settings under gateway.ingest refreshed",
				"gateway.ingest.api-keys." + SecretKeys.MASK, "ConsumerConfig values");
		for (String secret : SECRETS) {
			assertThat(output.getAll()).as("logs holding " + secret).doesNotContain(secret);
		}
		assertThat(output.getAll()).as("logs holding the config server's password").doesNotContain(configPassword);
	}

	private static ConfigurableApplicationContext ingest(EmbeddedConfigServer configServer) {
		return GatewayApplications.builder(IngestApplication.class, IngestApplication.ROLE)
			.run(TestConfigServer
				.withImport(configServer, "--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
						"--server.port=0", "--spring.grpc.server.port=0", "--spring.main.banner-mode=off",
						"--gateway.topics.prefix=" + PREFIX, "--spring.cloud.bus.id=ingest-secrets",
						"--spring.cloud.config.token=" + CONFIG_TOKEN, "--logging.level.root=INFO",
						"--logging.level.org.apache.kafka=INFO", "--gateway.ingest.publisher.timeout=2s",
						"--logging.level.io.eventgateway=DEBUG",
						"--management.endpoints.web.exposure.include=gateway,refresh,busrefresh,env,configprops",
						"--management.server.port=0", "--gateway.management.username=operator",
						"--gateway.management.password=" + MANAGEMENT_PASSWORD)
				.toArray(String[]::new));
	}

	private HttpResponse<String> post(int port, String apiKey, String company) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
			.header("Content-Type", "application/json")
			.header("X-Api-Key", apiKey)
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"events\":[" + IngestClient.event("secret-test", company, "bulk.sync") + "]}"))
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String settings(int eventsPerSecond, String moreKeys) {
		return """
				spring:
				  kafka:
				    properties:
				      sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="%s";
				gateway:
				  ingest:
				    api-keys:
				      %s: c1
				      "[%s]": c2
				%s    quotas:
				      defaults:
				        events-per-second: %d
				"""
			.formatted(JAAS_PASSWORD, PLAIN_KEY, ApiKeys.digestSetting(DIGESTED_KEY), moreKeys, eventsPerSecond);
	}

}
