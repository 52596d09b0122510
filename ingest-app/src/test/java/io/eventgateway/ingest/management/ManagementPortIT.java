package io.eventgateway.ingest.management;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestServiceGrpc;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Ingest's management plane as kubelet, the scraper, an operator and a stranger see it:
 * actuator only on the management port, writes and settings only with the management
 * credentials, probes and scraping open, the public API unchanged.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		// As command-line arguments, the role's settings file and config server (none
		// answers on port 1) also hold when a refresh rebuilds the environment.
		args = { "--spring.config.name=ingest-app", "--spring.config.import=optional:configserver:http://127.0.0.1:1" },
		properties = { "spring.grpc.server.port=0", "server.address=127.0.0.1", "management.server.address=127.0.0.1",
				"gateway.ingest.api-keys.key-c1=c1", "gateway.topics.create=false",
				"gateway.ingest.flow-control.enabled=false", "spring.cloud.bus.enabled=false",
				"gateway.management.username=ops", "gateway.management.password=" + ManagementPortIT.PASSWORD })
class ManagementPortIT {

	static final String PASSWORD = "s3cret-for-tests";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int apiPort;

	@Value("${local.management.port}")
	private int managementPort;

	@Value("${local.grpc.port}")
	private int grpcPort;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
	}

	@Test
	void actuatorHasItsOwnPort() {
		assertThat(this.managementPort).isPositive().isNotEqualTo(this.apiPort);
	}

	@Test
	void refreshWithoutCredentialsIsRefused() throws Exception {
		HttpResponse<String> response = send(post(this.managementPort, "/actuator/refresh"));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic"));
	}

	@Test
	void refreshWithAWrongPasswordIsRefused() throws Exception {
		HttpResponse<String> response = send(
				withBasic(post(this.managementPort, "/actuator/refresh"), "ops", PASSWORD + "x"));
		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void refreshWithCredentialsRuns() throws Exception {
		HttpResponse<String> response = send(
				withBasic(post(this.managementPort, "/actuator/refresh"), "ops", PASSWORD));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "/actuator/gateway", "/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator" })
	void settingsAndMetersNeedCredentials(String path) throws Exception {
		assertThat(send(get(this.managementPort, path)).statusCode()).isEqualTo(401);
	}

	@Test
	void gatewayStateWithCredentialsIsShown() throws Exception {
		HttpResponse<String> response = send(withBasic(get(this.managementPort, "/actuator/gateway"), "ops", PASSWORD));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("{").contains("\"delay\":{\"max\":\"PT1H\"}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus",
			"/actuator/info" })
	void probesAndScrapingAnswerWithoutCredentials(String path) throws Exception {
		HttpResponse<String> response = send(get(this.managementPort, path));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void overallHealthAnswersWithoutCredentials() throws Exception {
		// No publisher runs, so the role is DOWN (503): what matters is that it answers.
		HttpResponse<String> response = send(get(this.managementPort, "/actuator/health"));
		assertThat(response.statusCode()).isIn(200, 503);
		assertThat(response.body()).contains("\"status\"");
	}

	@Test
	void prometheusServesMeters() throws Exception {
		assertThat(send(get(this.managementPort, "/actuator/prometheus")).body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void grpcCallsAreTimedWithoutAnObservationRefusedOnesToo() throws Exception {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			Metadata wrongKey = new Metadata();
			wrongKey.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), "not-a-key");
			IngestServiceGrpc.IngestServiceBlockingStub stub = IngestServiceGrpc.newBlockingStub(channel)
				.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(wrongKey));
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> stub.ingestEvents(IngestEventsRequest.getDefaultInstance()))
				.satisfies(
						(refused) -> assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
		}
		finally {
			channel.shutdownNow();
		}

		// Recorded once the server's side of the call has closed.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(send(get(this.managementPort, "/actuator/prometheus")).body())
				.containsPattern("grpc_server_processing_duration_seconds_count\\{[^}]*method=\"IngestEvents\"[^}]*"
						+ "statusCode=\"UNAUTHENTICATED\"[^}]*} [1-9]")
				.doesNotContain("grpc_server_seconds"));
	}

	@Test
	void badFlowSignalCountersAreScrapedAtZeroBeforeAnyArrives() throws Exception {
		assertThat(send(get(this.managementPort, "/actuator/prometheus")).body())
			.containsPattern("gateway_ingest_records_undecodable_total\\{[^}]*topic=\"[^\"]*flow-control\"[^}]*} 0.0")
			.containsPattern("gateway_ingest_records_failed_total\\{[^}]*topic=\"[^\"]*flow-control\"[^}]*} 0.0");
	}

	@Test
	void healthShowsDetailsOnlyWithCredentials() throws Exception {
		String anonymous = send(get(this.managementPort, "/actuator/health")).body();
		assertThat(anonymous).contains("\"status\"").doesNotContain("components").doesNotContain("kafka");
		HttpResponse<String> authorized = send(
				withBasic(get(this.managementPort, "/actuator/health"), "ops", PASSWORD));
		assertThat(authorized.body()).contains("\"components\"").contains("\"loops\"");
	}

	@Test
	void healthComponentsAreHiddenWithoutCredentials() throws Exception {
		assertThat(send(get(this.managementPort, "/actuator/health/kafka")).statusCode()).isEqualTo(404);
		assertThat(send(withBasic(get(this.managementPort, "/actuator/health/kafka"), "ops", PASSWORD)).body())
			.contains("\"status\"");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/prometheus", "/actuator/gateway" })
	void theApiPortHasNoActuator(String path) throws Exception {
		assertThat(send(get(this.apiPort, path)).statusCode()).isEqualTo(404);
		assertThat(send(withBasic(get(this.apiPort, path), "ops", PASSWORD)).statusCode()).isEqualTo(404);
	}

	@Test
	void refreshOnTheApiPortIsNotFound() throws Exception {
		assertThat(send(withBasic(post(this.apiPort, "/actuator/refresh"), "ops", PASSWORD)).statusCode())
			.isEqualTo(404);
		assertThat(send(post(this.apiPort, "/actuator/busrefresh")).statusCode()).isEqualTo(404);
	}

	@Test
	void theApiKeepsItsOwnAuthentication() throws Exception {
		// No CSRF token, no Basic challenge: the API's own answers, as before.
		HttpResponse<String> wrongKey = send(HttpRequest.newBuilder(uri(this.apiPort, "/v1/events"))
			.header("Content-Type", "application/json")
			.header("X-Api-Key", "not-a-key")
			.POST(HttpRequest.BodyPublishers.ofString("{\"events\":[]}")));
		assertThat(wrongKey.statusCode()).isEqualTo(401);
		assertThat(wrongKey.headers().firstValue("WWW-Authenticate")).isEmpty();
		HttpResponse<String> malformed = send(HttpRequest.newBuilder(uri(this.apiPort, "/v1/events"))
			.header("Content-Type", "application/json")
			.header("X-Api-Key", "key-c1")
			.POST(HttpRequest.BodyPublishers.ofString("{\"events\": [")));
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(malformed.body()).contains("malformed JSON");
	}

	private HttpRequest.Builder get(int port, String path) {
		return HttpRequest.newBuilder(uri(port, path)).GET();
	}

	private HttpRequest.Builder post(int port, String path) {
		return HttpRequest.newBuilder(uri(port, path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody());
	}

	private static HttpRequest.Builder withBasic(HttpRequest.Builder request, String username, String password) {
		return request.header("Authorization", "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
