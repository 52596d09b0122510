package io.eventgateway.configserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The config server serves config-repo/ over HTTP, as the roles will read it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.cloud.config.server.native.search-locations=file:../config-repo",
				"gateway.config-server.username=roles", "gateway.config-server.password=test-password" })
class ConfigServerApplicationTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void servesTheSharedSettingsOfTheConfigRepo() throws Exception {
		HttpResponse<String> response = get("/ingest-app/default");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("config-repo/application.yml", "gateway.topics.prefix");
	}

	@Test
	void reportsHealthy() throws Exception {
		HttpResponse<String> response = get("/actuator/health");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("roles:test-password".getBytes()))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
