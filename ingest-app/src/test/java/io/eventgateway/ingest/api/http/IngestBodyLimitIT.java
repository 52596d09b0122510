package io.eventgateway.ingest.api.http;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.eventgateway.ingest.IngestApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest reads little before it trusts: a key, a content type and a declared length are
 * judged on the headers, before any body byte is read, and a body is read through the
 * byte limit, so that a huge upload (declared or chunked) never sits in the heap. Real
 * HTTP over loopback to the ingest role running in this JVM, whose heap the test watches.
 */
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=ingest-app", "spring.grpc.server.port=0",
				"gateway.ingest.limits.max-request-bytes=4MB", "gateway.ingest.api-keys.key-c1=c1",
				"gateway.topics.create=false", "gateway.ingest.flow-control.enabled=false",
				"spring.cloud.bus.enabled=false" })
class IngestBodyLimitIT {

	private static final long LIMIT = DataSize.ofMegabytes(4).toBytes();

	private static final long HUGE = DataSize.ofMegabytes(200).toBytes();

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	@LocalServerPort
	private int port;

	/**
	 * The body opens a batch and then goes on with whitespace, which JSON allows between
	 * tokens: the parser holds nothing for it, so what the heap shows is whether the body
	 * itself is held. A server that buffered the body would hold every byte sent so far.
	 */
	@Test
	void aChunkedBodyOfTwoHundredMegabytesIsRefusedOnceOverTheLimitWhileTheHeapHoldsLessThanTheLimit()
			throws Exception {
		streamOverTheLimit(); // warm-up: classes loaded, buffers allocated
		long before = usedHeapAfterGc();

		long[] largestGrowth = { 0 };
		long sent;
		int status;
		try (StreamingHttpExchange exchange = chunkedUpload("X-Api-Key: key-c1")) {
			sent = stream(exchange, HUGE,
					() -> largestGrowth[0] = Math.max(largestGrowth[0], usedHeapAfterGc() - before));
			status = exchange.awaitStatus(PATIENCE);
			// Measured once more with the refusal given and the connection still open.
			largestGrowth[0] = Math.max(largestGrowth[0], usedHeapAfterGc() - before);
		}

		assertThat(status).isEqualTo(413);
		assertThat(sent).as("body bytes sent before the refusal").isLessThan(HUGE);
		assertThat(largestGrowth[0]).as("heap growth while the body streamed").isLessThan(LIMIT);
	}

	@Test
	void aWrongKeyIsRefusedBeforeTheBodyIsRead() throws Exception {
		try (StreamingHttpExchange exchange = new StreamingHttpExchange(this.port, "Content-Type: application/json",
				"X-Api-Key: stolen", "Content-Length: " + HUGE)) {
			exchange.send("{\"events\":[".getBytes(StandardCharsets.UTF_8));

			// The rest of the declared body is never sent: a server reading it first
			// would
			// wait for it and never answer.
			assertThat(exchange.awaitResponseHead(PATIENCE)).startsWith("HTTP/1.1 401")
				.containsIgnoringCase("connection: close");
			assertThat(exchange.sent()).isLessThan(100);
		}
	}

	@Test
	void aMultipartBodyWithoutAKeyIsRefusedBeforeAnyOfItIsParsed() throws Exception {
		try (StreamingHttpExchange exchange = new StreamingHttpExchange(this.port,
				"Content-Type: multipart/form-data; boundary=b", "Content-Length: " + HUGE)) {
			exchange.send("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\r\n"
				.getBytes(StandardCharsets.UTF_8));

			// Multipart parsing would read (and write to disk) the declared body before
			// any
			// controller ran; it is off, so the key is checked first.
			assertThat(exchange.awaitResponseHead(PATIENCE)).startsWith("HTTP/1.1 401");
		}
	}

	@Test
	void aMissingKeyOnAChunkedBodyIsRefusedBeforeTheBodyIsRead() throws Exception {
		try (StreamingHttpExchange exchange = chunkedUpload()) {
			exchange.send("{\"events\":[".getBytes(StandardCharsets.UTF_8));

			assertThat(exchange.awaitStatus(PATIENCE)).isEqualTo(401);
		}
	}

	@Test
	void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
		try (StreamingHttpExchange exchange = new StreamingHttpExchange(this.port, "Content-Type: application/json",
				"X-Api-Key: key-c1", "Content-Length: " + (LIMIT + 1))) {
			exchange.send("{\"events\":[".getBytes(StandardCharsets.UTF_8));

			assertThat(exchange.awaitStatus(PATIENCE)).isEqualTo(413);
		}
	}

	@Test
	void aBodyAtTheLimitIsRead() throws Exception {
		byte[] body = new byte[(int) LIMIT];
		Arrays.fill(body, (byte) ' ');
		byte[] batch = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
		System.arraycopy(batch, 0, body, 0, batch.length);

		HttpResponse<String> response = post("application/json", body);

		// Read whole and judged on its content: an empty batch.
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("events: must contain at least one event");
	}

	@Test
	void plainTextIsRefusedAsAnUnsupportedMediaType() throws Exception {
		HttpResponse<String> response = post("text/plain", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8));

		assertThat(response.statusCode()).isEqualTo(415);
		assertThat(response.body()).contains("Content-Type", "must be application/json");
	}

	@Test
	void aFormIsRefusedAsAnUnsupportedMediaType() throws Exception {
		HttpResponse<String> response = post("application/x-www-form-urlencoded",
				"events=1".getBytes(StandardCharsets.UTF_8));

		assertThat(response.statusCode()).isEqualTo(415);
	}

	@Test
	void jsonWithACharsetAStructuredJsonTypeOrNoTypeIsRead() throws Exception {
		byte[] emptyBatch = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);
		for (String type : new String[] { "application/json; charset=utf-8", "application/vnd.acme.batch+json",
				null }) {
			HttpResponse<String> response = post(type, emptyBatch);

			assertThat(response.statusCode()).as(type).isEqualTo(400);
			assertThat(response.body()).as(type).contains("events: must contain at least one event");
		}
	}

	private StreamingHttpExchange chunkedUpload(String... extraHeaders) throws Exception {
		String[] headers = Arrays.copyOf(
				new String[] { "Content-Type: application/json", "Transfer-Encoding: chunked" },
				2 + extraHeaders.length);
		System.arraycopy(extraHeaders, 0, headers, 2, extraHeaders.length);
		return new StreamingHttpExchange(this.port, headers);
	}

	/**
	 * Sends a batch's opening and then whitespace, in 64KB pieces made once, up to a
	 * total or until the server answers; samples every megabyte.
	 * @return the body bytes sent
	 */
	private static long stream(StreamingHttpExchange exchange, long total, Runnable sample) {
		byte[] padding = new byte[64 * 1024];
		Arrays.fill(padding, (byte) ' ');
		exchange.send("{\"events\":[".getBytes(StandardCharsets.UTF_8));
		long nextSample = DataSize.ofMegabytes(1).toBytes();
		while (exchange.sent() < total && exchange.send(padding)) {
			if (exchange.sent() >= nextSample) {
				sample.run();
				nextSample += DataSize.ofMegabytes(1).toBytes();
			}
		}
		return exchange.sent();
	}

	private void streamOverTheLimit() throws Exception {
		try (StreamingHttpExchange exchange = chunkedUpload("X-Api-Key: key-c1")) {
			stream(exchange, HUGE, () -> {
			});
			assertThat(exchange.awaitStatus(PATIENCE)).isEqualTo(413);
		}
	}

	/**
	 * The smallest of three readings, each after a full collection. Other tenants of this
	 * JVM (the broker, cached application contexts) hold a few megabytes for a moment now
	 * and then, enough to cross the limit in one reading on a busy machine; a body held
	 * by the server would be held through all three.
	 */
	private long usedHeapAfterGc() {
		long smallest = Long.MAX_VALUE;
		for (int reading = 0; reading < 3; reading++) {
			System.gc();
			smallest = Math.min(smallest, this.memory.getHeapMemoryUsage().getUsed());
		}
		return smallest;
	}

	private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/events"))
			.header("X-Api-Key", "key-c1")
			.timeout(PATIENCE);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return HttpClient.newHttpClient()
			.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
