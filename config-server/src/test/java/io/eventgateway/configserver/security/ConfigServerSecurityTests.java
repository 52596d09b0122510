package io.eventgateway.configserver.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.configserver.ConfigServerApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config server over HTTP on loopback: settings, {@code /encrypt} and actuator only
 * for the client account; health and the probes for anyone.
 */
class ConfigServerSecurityTests {

	static final String USERNAME = "gateway-roles";

	static final String PASSWORD = "s3cret-for-tests";

	@TempDir
	static Path repo;

	private static ConfigurableApplicationContext server;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void start() throws Exception {
		Files.writeString(repo.resolve("ingest-app.yml"), "gateway:\n  topics:\n    prefix: from-the-server\n");
		server = new SpringApplicationBuilder(ConfigServerApplication.class).run("--server.port=0",
				"--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--spring.profiles.active=native",
				"--spring.cloud.config.server.native.search-locations=" + repo.toUri(),
				"--gateway.config-server.username=" + USERNAME, "--gateway.config-server.password=" + PASSWORD,
				"--encrypt.key=a-test-key-only");
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void aClientWithoutCredentialsGets401() throws Exception {
		assertThat(send(get("/ingest-app/default")).statusCode()).isEqualTo(401);
	}

	@Test
	void aClientWithAWrongPasswordGets401() throws Exception {
		assertThat(send(basic(get("/ingest-app/default"), USERNAME, "not-the-password")).statusCode()).isEqualTo(401);
		assertThat(send(basic(get("/ingest-app/default"), "someone-else", PASSWORD)).statusCode()).isEqualTo(401);
	}

	@Test
	void aClientWithTheAccountGetsItsSettings() throws Exception {
		HttpResponse<String> response = send(basic(get("/ingest-app/default"), USERNAME, PASSWORD));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"gateway.topics.prefix\":\"from-the-server\"");
	}

	@Test
	void healthAndTheProbesAnswerWithoutCredentialsAndWithoutDetails() throws Exception {
		for (String path : new String[] { "/actuator/health", "/actuator/health/liveness",
				"/actuator/health/readiness" }) {
			HttpResponse<String> response = send(get(path));

			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("\"status\":\"UP\"").doesNotContain("components");
		}
	}

	@Test
	void healthDetailsAreShownToTheClientAccount() throws Exception {
		HttpResponse<String> response = send(basic(get("/actuator/health"), USERNAME, PASSWORD));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("configServer");
	}

	@Test
	void theRestOfActuatorNeedsTheAccount() throws Exception {
		assertThat(send(get("/actuator/info")).statusCode()).isEqualTo(401);
		assertThat(send(get("/actuator")).statusCode()).isEqualTo(401);
		assertThat(send(basic(get("/actuator/info"), USERNAME, PASSWORD)).statusCode()).isEqualTo(200);
	}

	@Test
	void encryptNeedsTheAccount() throws Exception {
		assertThat(send(post("/encrypt", "a-value")).statusCode()).isEqualTo(401);
		assertThat(send(post("/decrypt", "anything")).statusCode()).isEqualTo(401);
	}

	@Test
	void aCipherValueInTheRepositoryIsServedDecrypted() throws Exception {
		HttpResponse<String> encrypted = send(basic(post("/encrypt", "the-sasl-password"), USERNAME, PASSWORD));
		assertThat(encrypted.statusCode()).isEqualTo(200);
		String cipher = encrypted.body();
		assertThat(cipher).isNotBlank().doesNotContain("the-sasl-password");
		Files.writeString(repo.resolve("publisher-app.yml"),
				"gateway:\n  example:\n    secret: '{cipher}" + cipher + "'\n");

		HttpResponse<String> response = send(basic(get("/publisher-app/default"), USERNAME, PASSWORD));

		assertThat(response.body()).contains("\"gateway.example.secret\":\"the-sasl-password\"").doesNotContain(cipher);
	}

	static HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(uri(path));
	}

	static HttpRequest.Builder post(String path, String body) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	static HttpRequest.Builder basic(HttpRequest.Builder request, String username, String password) {
		return request.header("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port() + path);
	}

	static int port() {
		return server.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
