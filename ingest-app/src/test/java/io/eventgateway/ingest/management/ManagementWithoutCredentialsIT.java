package io.eventgateway.ingest.management;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.ingest.IngestApplication;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dev instance with no management credentials set: the endpoints that change state or
 * show settings refuse everyone, whatever they send; probes and scraping still answer.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		// As command-line arguments, the role's settings file and config server also hold
		// when a refresh rebuilds the environment.
		args = { "--spring.config.name=ingest-app", "--spring.config.import=optional:configserver:http://127.0.0.1:1" },
		properties = { "spring.grpc.server.port=0", "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"gateway.ingest.api-keys.key-c1=c1", "gateway.topics.create=false",
				"gateway.ingest.flow-control.enabled=false", "spring.cloud.bus.enabled=false",
				"gateway.management.username=", "gateway.management.password=" })
class ManagementWithoutCredentialsIT {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Value("${local.management.port}")
	private int managementPort;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Basic " })
	void refreshIsRefusedToEveryone(String authorization) throws Exception {
		for (String user : new String[] { "", ":", "admin:admin", "user:", "gateway-admin:" }) {
			HttpRequest.Builder request = HttpRequest.newBuilder(uri("/actuator/refresh"))
				.POST(HttpRequest.BodyPublishers.noBody());
			if (!authorization.isEmpty()) {
				request.header("Authorization",
						authorization + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
			}
			assertThat(send(request).statusCode()).as("%s%s", authorization, user).isEqualTo(401);
		}
	}

	@Test
	void gatewayStateIsRefusedToEveryone() throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/gateway"))).statusCode()).isEqualTo(401);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus" })
	void probesAndScrapingStillAnswer(String path) throws Exception {
		assertThat(send(HttpRequest.newBuilder(uri(path))).statusCode()).isEqualTo(200);
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.managementPort + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
