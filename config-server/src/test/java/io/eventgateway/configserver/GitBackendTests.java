package io.eventgateway.configserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.configserver.test.GitSettingsRepo;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production backend: settings served from a git repository, a new commit served on
 * the next request without a restart.
 */
class GitBackendTests {

	@TempDir
	static Path folder;

	private static GitSettingsRepo repo;

	private static ConfigurableApplicationContext server;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		repo = GitSettingsRepo.create(folder);
		repo.commit("application.yml", "gateway:\n  topics:\n    prefix: from-git\n");
		repo.commit("publisher-app.yml", "gateway:\n  publisher:\n    rollout:\n      percentage: 10\n");
		server = new SpringApplicationBuilder(ConfigServerApplication.class).run("--server.port=0",
				"--spring.profiles.active=git", "--spring.cloud.config.server.git.uri=" + repo.uri(),
				"--spring.main.banner-mode=off", "--gateway.config-server.username=roles",
				"--gateway.config-server.password=test-password");
	}

	@AfterAll
	static void stop() {
		server.close();
		repo.close();
	}

	@Test
	void servesTheRolesFileAndTheSharedOne() throws Exception {
		HttpResponse<String> response = get("/publisher-app/default");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("config-repo/publisher-app.yml",
				"\"gateway.publisher.rollout.percentage\":10", "config-repo/application.yml",
				"\"gateway.topics.prefix\":\"from-git\"");
	}

	@Test
	void aNewCommitIsServedWithoutARestart() throws Exception {
		repo.commit("worker-app.yml", "gateway:\n  worker:\n    concurrency: 3\n");
		repo.commit("worker-app.yml", "gateway:\n  worker:\n    concurrency: 4\n");

		assertThat(get("/worker-app/default").body()).contains("\"gateway.worker.concurrency\":4");
	}

	@Test
	void reportsHealthyWithTheRepositoryReachable() throws Exception {
		HttpResponse<String> response = get("/actuator/health");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"", "configServer");
	}

	private HttpResponse<String> get(String path) throws Exception {
		int port = server.getEnvironment().getProperty("local.server.port", Integer.class);
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("roles:test-password".getBytes()))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
