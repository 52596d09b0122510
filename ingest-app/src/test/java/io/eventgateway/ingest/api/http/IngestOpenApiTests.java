package io.eventgateway.ingest.api.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.eventgateway.ingest.IngestApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description ingest serves is what ingest does: for every status it
 * documents, a real request over loopback HTTP is checked against the description, and
 * the real answer (status, media type, headers and body) must validate against the
 * described response. The response schemas forbid properties they do not name, so a field
 * added to an answer without describing it fails here. A fake publisher peer stores or
 * refuses events on demand, so that the accepted, mixed and unavailable answers need no
 * broker.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=ingest-app", "spring.grpc.server.port=0",
				"gateway.ingest.limits.max-request-bytes=4KB", "gateway.ingest.api-keys.key-c1=c1",
				"gateway.topics.create=false", "gateway.ingest.flow-control.enabled=false",
				"spring.cloud.bus.enabled=false" })
class IngestOpenApiTests {

	private static final String PATH = "/v1/events";

	private static final String JSON = "application/json";

	private static final FakePublisher PUBLISHER = startPublisher();

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	private OpenApiContract contract;

	@DynamicPropertySource
	static void publisher(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channels.publisher.address", PUBLISHER::address);
	}

	@AfterAll
	static void stopPublisher() {
		PUBLISHER.close();
	}

	@BeforeEach
	void loadTheServedDescription() throws Exception {
		HttpResponse<String> served = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/openapi.yaml")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(served.statusCode()).isEqualTo(200);
		this.contract = OpenApiContract.parse(served.body());
	}

	static Stream<Arguments> exchanges() {
		String valid = event("order.placed", "{\"order\":1}");
		String invalid = event("order\\u0000placed", "{}");
		String unstorable = event(FakePublisher.UNSTORABLE_TYPE, "{}");
		return Stream.of(exchange("every event accepted", key(), JSON, batch(valid), true, 202),
				exchange("accepted, invalid and failed events in one batch", key(), JSON,
						batch(valid, invalid, unstorable), true, 202),
				exchange("every event invalid", key(), JSON, batch(invalid, invalid), true, 400),
				exchange("a batch the schema already refuses", key(), JSON, "{\"events\":[]}", false, 400),
				exchange("malformed JSON", key(), JSON, "{\"events\":[", false, 400),
				exchange("no API key", Map.of("X-Request-Id", "req-1"), JSON, batch(valid), true, 401),
				exchange("an unknown API key", Map.of("X-Api-Key", "stolen", "X-Request-Id", "req-1"), JSON,
						batch(valid), true, 401),
				exchange("an event of another company", key(), JSON,
						"{\"events\":[{\"company_id\":\"c2\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}]}",
						true, 403),
				exchange("a body over the byte limit", key(), JSON,
						batch(event("order.placed", "{\"x\":\"" + "y".repeat(5000) + "\"}")), true, 413),
				exchange("a body that is not JSON", key(), "text/plain", batch(valid), false, 415),
				exchange("no event could be stored", key(), JSON, batch(unstorable), true, 503));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("exchanges")
	void theDescriptionSaysWhatTheApiAnswers(String name, Map<String, String> headers, String contentType, String body,
			boolean describedRequest, int status) throws Exception {
		assertThat(this.contract.requestViolations("post", PATH, headers, contentType, body)).as("request violations")
			.matches((violations) -> violations.isEmpty() == describedRequest, "empty: " + describedRequest);

		HttpResponse<String> response = post(headers, contentType, body);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(this.contract.responseViolations("post", PATH, response.statusCode(), response.headers(),
				response.body()))
			.isEmpty();
	}

	@Test
	void anUndescribedResponseFieldIsAViolation() throws Exception {
		HttpResponse<String> response = post(key(), JSON, batch(event("order.placed", "{}")));
		String withExtraField = response.body().replaceFirst("\\{", "{\"retry_after\":3,");

		assertThat(this.contract.responseViolations("post", PATH, 202, response.headers(), withExtraField))
			.anySatisfy((violation) -> assertThat(violation).contains("retry_after"));
	}

	@Test
	void anUndescribedStatusIsAViolation() throws Exception {
		HttpResponse<String> response = post(key(), JSON, batch(event("order.placed", "{}")));

		assertThat(this.contract.responseViolations("post", PATH, 429, response.headers(), response.body()))
			.containsExactly("status 429: not described");
	}

	@Test
	void anUndescribedMediaTypeOrHeaderOrAMissingRequiredHeaderIsAViolation() throws Exception {
		HttpResponse<String> response = post(key(), JSON, batch(event("order.placed", "{}")));
		HttpHeaders changed = HttpHeaders.of(
				Map.of("Content-Type", List.of("application/problem+json"), "X-Rate-Limit", List.of("10")),
				(name, value) -> true);

		assertThat(this.contract.responseViolations("post", PATH, 202, changed, response.body())).hasSize(3)
			.anySatisfy((violation) -> assertThat(violation).contains("application/problem+json"))
			.anySatisfy((violation) -> assertThat(violation).contains("X-Rate-Limit: not described"))
			.anySatisfy((violation) -> assertThat(violation).contains("X-Request-Id: required"));
	}

	private HttpResponse<String> post(Map<String, String> headers, String contentType, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + PATH))
			.header("Content-Type", contentType);
		headers.forEach(request::header);
		return this.client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static Arguments exchange(String name, Map<String, String> headers, String contentType, String body,
			boolean describedRequest, int status) {
		return Arguments.of(name, headers, contentType, body, describedRequest, status);
	}

	/** The key of company c1 and a request id, so every answer carries the id back. */
	private static Map<String, String> key() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("X-Api-Key", "key-c1");
		headers.put("X-Request-Id", "req-1");
		return headers;
	}

	private static String batch(String... events) {
		return "{\"events\":[" + String.join(",", events) + "]}";
	}

	private static String event(String type, String payload) {
		return "{\"event_type\":\"" + type + "\",\"source\":\"shop\",\"payload\":" + payload + "}";
	}

	private static FakePublisher startPublisher() {
		try {
			return FakePublisher.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
