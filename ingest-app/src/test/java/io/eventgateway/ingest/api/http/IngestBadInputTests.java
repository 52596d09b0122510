package io.eventgateway.ingest.api.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestServiceGrpc;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Requests that must be refused before anything is published: each gets a 4xx whose body
 * names the field and the problem, and none a 5xx. No publisher runs, so an accepted
 * event would show up as a 503.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=ingest-app", "spring.grpc.server.port=0",
				"gateway.ingest.limits.max-events=3", "gateway.ingest.limits.max-request-bytes=4KB",
				"gateway.ingest.limits.max-event-bytes=64B", "gateway.ingest.api-keys.key-c1=c1",
				"gateway.topics.create=false", "gateway.ingest.flow-control.enabled=false",
				"spring.cloud.bus.enabled=false" })
class IngestBadInputTests {

	private static final String KEY = "key-c1";

	private static final String VALID = "{\"company_id\":\"c1\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}";

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Value("${local.grpc.port}")
	private int grpcPort;

	static Stream<Arguments> badRequests() {
		return Stream.of(row("malformed JSON", "{\"events\": [", 400, "malformed JSON"),
				row("not JSON at all", "hello", 400, "malformed JSON"),
				row("trailing garbage after the object", "{\"events\":[" + VALID + "]} x", 400, "malformed JSON"),
				row("nesting too deep", "{\"events\":[{\"payload\":" + "[".repeat(1200) + "]".repeat(1200) + "}]}", 400,
						"malformed JSON"),
				row("empty body", "", 400, "request body is empty"),
				row("only whitespace", "   ", 400, "must be a JSON object with an 'events' array"),
				row("JSON null", "null", 400, "must be a JSON object with an 'events' array"),
				row("a bare number", "42", 400, "must be a JSON object with an 'events' array"),
				row("top level array", "[" + VALID + "]", 400, "must be a JSON object with an 'events' array"),
				row("missing events", "{}", 400, "events: is required"),
				row("events null", "{\"events\":null}", 400, "events: is required"),
				row("events not an array", "{\"events\":{}}", 400, "events: must be an array"),
				row("empty batch", "{\"events\":[]}", 400, "events: must contain at least one event"),
				row("batch over the limit", "{\"events\":[" + VALID + "," + VALID + "," + VALID + "," + VALID + "]}",
						400, "events: has 4 events, over the limit of 3"),
				row("duplicate key", "{\"events\":[" + VALID + "],\"events\":[]}", 400, "Duplicate Object property"),
				row("duplicate key inside an event",
						event("\"event_type\":\"t\",\"event_type\":\"u\",\"source\":\"s\",\"payload\":{}"), 400,
						"Duplicate Object property"),
				row("request_id of the wrong type", "{\"request_id\":7,\"events\":[" + VALID + "]}", 400,
						"request_id: must be a string, was a number"),
				row("missing event_type", event("\"source\":\"s\",\"payload\":{}"), 400,
						"events[0].event_type\",\"message\":\"is required"),
				row("blank event_type", event("\"event_type\":\"   \",\"source\":\"s\",\"payload\":{}"), 400,
						"events[0].event_type\",\"message\":\"is required"),
				row("event_type too long",
						event("\"event_type\":\"" + "t".repeat(300) + "\",\"source\":\"s\",\"payload\":{}"), 400,
						"must be at most 256 characters"),
				row("NUL in event_type", event("\"event_type\":\"a\\u0000b\",\"source\":\"s\",\"payload\":{}"), 400,
						"must not contain control characters"),
				row("control character in source", event("\"event_type\":\"t\",\"source\":\"s\\u0007\",\"payload\":{}"),
						400, "events[0].source\",\"message\":\"must not contain control characters"),
				row("unpaired surrogate in source", event("\"event_type\":\"t\",\"source\":\"\\ud800\",\"payload\":{}"),
						400, "unpaired surrogate"),
				row("source of the wrong type", event("\"event_type\":\"t\",\"source\":[],\"payload\":{}"), 400,
						"events[0].source\",\"message\":\"must be a string, was an array"),
				row("company_id of the wrong type",
						event("\"company_id\":42,\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}"), 400,
						"events[0].company_id\",\"message\":\"must be a string, was a number"),
				row("missing payload", event("\"event_type\":\"t\",\"source\":\"s\""), 400,
						"events[0].payload\",\"message\":\"is required"),
				row("payload not an object", event("\"event_type\":\"t\",\"source\":\"s\",\"payload\":\"x\""), 400,
						"events[0].payload\",\"message\":\"must be a JSON object, was a string"),
				row("payload an array", event("\"event_type\":\"t\",\"source\":\"s\",\"payload\":[1]"), 400,
						"must be a JSON object, was an array"),
				row("payload over the limit",
						event("\"event_type\":\"t\",\"source\":\"s\",\"payload\":{\"x\":\"" + "y".repeat(100) + "\"}"),
						400, "over the limit of 64"),
				row("event not an object", "{\"events\":[7]}", 400, "must be a JSON object"),
				row("event id with a space", eventWithId("a b"), 400, "events[0].event_id"),
				row("empty event id", eventWithId(""), 400, "events[0].event_id"),
				row("event id too long", eventWithId("e".repeat(129)), 400, "events[0].event_id"),
				row("event id with an accented letter", eventWithId("caf\u00e9"), 400, "events[0].event_id"),
				row("event id with an emoji", eventWithId("id-\ud83d\ude00"), 400, "events[0].event_id"),
				row("not_before not a timestamp",
						event("\"event_type\":\"t\",\"source\":\"s\",\"payload\":{},\"not_before\":\"tomorrow\""), 400,
						"events[0].not_before\",\"message\":\"must be an RFC 3339 timestamp"),
				row("not_before a number",
						event("\"event_type\":\"t\",\"source\":\"s\",\"payload\":{},\"not_before\":1700000000"), 400,
						"events[0].not_before\",\"message\":\"must be a string, was a number"),
				row("body over the byte limit", "{\"events\":[" + "x".repeat(5000) + "]}", 413,
						"over the limit of 4096 bytes"),
				Arguments.of("missing API key", Map.of(), "{\"events\":[" + VALID + "]}", 401,
						"X-Api-Key: is required"),
				Arguments.of("unknown API key", Map.of("X-Api-Key", "stolen"), "{\"events\":[" + VALID + "]}", 401,
						"X-Api-Key: is not a known API key"),
				row("company id of another company",
						"{\"events\":[" + VALID
								+ ",{\"company_id\":\"c2\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}]}",
						403, "events[1].company_id: does not match the company of the API key"),
				Arguments.of("bad request id header", Map.of("X-Api-Key", KEY, "X-Request-Id", "no spaces please"),
						"{\"events\":[" + VALID + "]}", 400, "X-Request-Id"));
	}

	@Test
	void theTableCoversAtLeastThirtyBadRequests() {
		assertThat(badRequests().count()).isGreaterThanOrEqualTo(30);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badRequestIsRefusedNamingTheProblem(String name, Map<String, String> headers, String body, int status,
			String message) throws Exception {
		HttpResponse<String> response = post(headers, body);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.statusCode()).isLessThan(500);
		assertThat(response.body()).contains(message);
	}

	private static Arguments row(String name, String body, int status, String message) {
		return Arguments.of(name, Map.of("X-Api-Key", KEY), body, status, message);
	}

	private static String event(String fields) {
		return "{\"events\":[{" + fields + "}]}";
	}

	private static String eventWithId(String id) {
		return event("\"event_id\":\"" + id + "\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}");
	}

	@Test
	void everyEventOfAnAllInvalidBatchIsReportedWithItsIndex() throws Exception {
		HttpResponse<String> response = post("{\"events\":[{\"company_id\":\"c1\"},{\"company_id\":true}]}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"index\":0", "\"index\":1", "events[0].event_type",
				"events[1].company_id", "\"rejected\":2");
	}

	@Test
	void requestIdIsEchoed() throws Exception {
		HttpResponse<String> response = post(Map.of("X-Api-Key", KEY, "X-Request-Id", "req-123"), "{\"events\":[]}");

		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-123");
		assertThat(response.body()).contains("\"request_id\":\"req-123\"");
	}

	@Test
	void grpcEmptyBatchIsInvalidArgumentNamingTheField() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> grpc((stub) -> stub.ingestEvents(IngestEventsRequest.getDefaultInstance())))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).isEqualTo("events: must contain at least one event");
			});
	}

	@Test
	void grpcBatchOfInvalidEventsIsInvalidArgumentNamingEachField() {
		IngestEventsRequest request = IngestEventsRequest.newBuilder()
			.addEvents(IngestEvent.newBuilder().setEventType("t"))
			.addEvents(IngestEvent.newBuilder().setCompanyId("c1").setSource("s"))
			.build();

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> grpc((stub) -> stub.ingestEvents(request)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains("events[0].source: is required",
						"events[1].event_type: is required");
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theOpenApiDescriptionIsServedWithEveryStatusTheApiAnswers() throws Exception {
		HttpResponse<String> response = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/openapi.yaml")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> api = new Yaml().load(response.body());
		Map<String, Object> post = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) api.get("paths"))
			.get("/v1/events")).get("post");
		assertThat(((Map<String, Object>) post.get("responses")).keySet()).containsExactlyInAnyOrder("202", "400",
				"401", "403", "413", "415", "503");
	}

	@Test
	void grpcWithoutAnApiKeyIsUnauthenticated() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> grpc(null, (stub) -> stub.ingestEvents(oneEvent("c1"))))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
				assertThat(ex.getStatus().getDescription()).isEqualTo("X-Api-Key: is required");
			});
	}

	@Test
	void grpcEventOfAnotherCompanyIsPermissionDenied() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> grpc((stub) -> stub.ingestEvents(oneEvent("c2"))))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
				assertThat(ex.getStatus().getDescription())
					.isEqualTo("events[0].company_id: does not match the company of the API key");
			});
	}

	private static IngestEventsRequest oneEvent(String company) {
		return IngestEventsRequest.newBuilder()
			.addEvents(IngestEvent.newBuilder().setCompanyId(company).setEventType("t").setSource("s"))
			.build();
	}

	private HttpResponse<String> post(String body) throws Exception {
		return post(Map.of("X-Api-Key", KEY), body);
	}

	private HttpResponse<String> post(Map<String, String> headers, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).header("Content-Type", "application/json");
		headers.forEach(request::header);
		return this.client.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port + "/v1/events");
	}

	private <T> T grpc(java.util.function.Function<IngestServiceGrpc.IngestServiceBlockingStub, T> call) {
		return grpc(KEY, call);
	}

	private <T> T grpc(String apiKey,
			java.util.function.Function<IngestServiceGrpc.IngestServiceBlockingStub, T> call) {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			IngestServiceGrpc.IngestServiceBlockingStub stub = IngestServiceGrpc.newBlockingStub(channel);
			if (apiKey != null) {
				Metadata metadata = new Metadata();
				metadata.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
				stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
			}
			return call.apply(stub);
		}
		finally {
			channel.shutdownNow();
		}
	}

}
