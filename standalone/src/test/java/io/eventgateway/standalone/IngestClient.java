package io.eventgateway.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Posts JSON batches to ingest's HTTP API, as a producer would. */
final class IngestClient {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final URI endpoint;

	IngestClient(int port) {
		this.endpoint = URI.create("http://127.0.0.1:" + port + "/v1/events");
	}

	/** A JSON event object with the given id, company and type. */
	static String event(String eventId, String companyId, String eventType) {
		return "{\"event_id\":\"" + eventId + "\",\"company_id\":\"" + companyId + "\",\"event_type\":\"" + eventType
				+ "\",\"source\":\"it\",\"payload\":{\"id\":\"" + eventId + "\"}}";
	}

	/** Posts the events as one batch. */
	HttpResponse<String> post(List<String> events) throws Exception {
		String body = events.stream().collect(Collectors.joining(",", "{\"events\":[", "]}"));
		return this.client.send(HttpRequest.newBuilder(this.endpoint)
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
