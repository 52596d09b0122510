package io.eventgateway.ingest.api.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
 * names the field and the problem. No publisher runs, so an accepted event would show up
 * as a 503.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=ingest-app", "spring.grpc.server.port=0",
				"gateway.ingest.limits.max-events=3", "gateway.ingest.limits.max-request-bytes=4KB",
				"gateway.ingest.limits.max-event-bytes=64B" })
class IngestBadInputTests {

	private static final String VALID = "{\"company_id\":\"c1\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}";

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Value("${local.grpc.port}")
	private int grpcPort;

	static Stream<Arguments> badRequests() {
		return Stream.of(Arguments.of("malformed JSON", "{\"events\": [", 400, "malformed JSON"),
				Arguments.of("not JSON at all", "hello", 400, "malformed JSON"),
				Arguments.of("empty body", "", 400, "request body is empty"),
				Arguments.of("top level array", "[" + VALID + "]", 400, "must be a JSON object with an 'events' array"),
				Arguments.of("missing events", "{}", 400, "events: is required"),
				Arguments.of("events not an array", "{\"events\":{}}", 400, "events: must be an array"),
				Arguments.of("empty batch", "{\"events\":[]}", 400, "events: must contain at least one event"),
				Arguments.of("batch over the limit",
						"{\"events\":[" + VALID + "," + VALID + "," + VALID + "," + VALID + "]}", 400,
						"events: has 4 events, over the limit of 3"),
				Arguments.of("duplicate key", "{\"events\":[" + VALID + "],\"events\":[]}", 400,
						"Duplicate Object property"),
				Arguments.of("missing company_id",
						"{\"events\":[{\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}]}", 400,
						"events[0].company_id\",\"message\":\"is required"),
				Arguments.of("company_id of the wrong type",
						"{\"events\":[{\"company_id\":42,\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}]}", 400,
						"events[0].company_id\",\"message\":\"must be a string, was a number"),
				Arguments.of("payload not an object",
						"{\"events\":[{\"company_id\":\"c\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":\"x\"}]}",
						400, "events[0].payload\",\"message\":\"must be a JSON object, was a string"),
				Arguments.of("event not an object", "{\"events\":[7]}", 400, "must be a JSON object"),
				Arguments.of("bad event id",
						"{\"events\":[{\"event_id\":\"a b\",\"company_id\":\"c\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}]}",
						400, "events[0].event_id"),
				Arguments.of("payload over the limit",
						"{\"events\":[{\"company_id\":\"c\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{\"x\":\""
								+ "y".repeat(100) + "\"}}]}",
						400, "over the limit of 64"),
				Arguments.of("unpaired surrogate",
						"{\"events\":[{\"company_id\":\"\\ud800\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}]}",
						400, "unpaired surrogate"),
				Arguments.of("body over the byte limit", "{\"events\":[" + "x".repeat(5000) + "]}", 413,
						"over the limit of 4096 bytes"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badRequestIsRefusedNamingTheProblem(String name, String body, int status, String message) throws Exception {
		HttpResponse<String> response = post(body);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.body()).contains(message);
	}

	@Test
	void everyEventOfAnAllInvalidBatchIsReportedWithItsIndex() throws Exception {
		HttpResponse<String> response = post("{\"events\":[{\"company_id\":\"c\"},{\"company_id\":true}]}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"index\":0", "\"index\":1", "events[0].event_type",
				"events[1].company_id", "\"rejected\":2");
	}

	@Test
	void requestIdIsEchoed() throws Exception {
		HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(endpoint())
			.header("X-Request-Id", "req-123")
			.POST(HttpRequest.BodyPublishers.ofString("{\"events\":[]}"))
			.build(), HttpResponse.BodyHandlers.ofString());

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
			.addEvents(IngestEvent.newBuilder().setEventType("t").setSource("s"))
			.addEvents(IngestEvent.newBuilder().setCompanyId("c").setSource("s"))
			.build();

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> grpc((stub) -> stub.ingestEvents(request)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains("events[0].company_id: is required",
						"events[1].event_type: is required");
			});
	}

	private HttpResponse<String> post(String body) throws Exception {
		return this.client.send(HttpRequest.newBuilder(endpoint())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port + "/v1/events");
	}

	private <T> T grpc(java.util.function.Function<IngestServiceGrpc.IngestServiceBlockingStub, T> call) {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			return call.apply(IngestServiceGrpc.newBlockingStub(channel));
		}
		finally {
			channel.shutdownNow();
		}
	}

}
