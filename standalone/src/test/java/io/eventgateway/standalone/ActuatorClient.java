package io.eventgateway.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Calls the actuator endpoints of a running role over HTTP, as an operator would: on its
 * management port, with the management credentials the role was given.
 */
final class ActuatorClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	private final int port;

	private final String authorization;

	ActuatorClient(ConfigurableApplicationContext role) {
		// Ingest serves actuator on a port of its own; the other roles on their only one.
		Integer management = role.getEnvironment().getProperty("local.management.port", Integer.class);
		this.port = (management != null) ? management
				: role.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		String user = role.getEnvironment().getRequiredProperty("gateway.management.username") + ":"
				+ role.getEnvironment().getRequiredProperty("gateway.management.password");
		this.authorization = "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
	}

	/** The port the role serves actuator on. */
	int port() {
		return this.port;
	}

	/** The role's {@code /actuator/gateway} state. */
	@SuppressWarnings("unchecked")
	Map<String, Object> gateway() throws Exception {
		HttpResponse<String> response = this.client.send(request("/actuator/gateway").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		return json.readValue(response.body(), Map.class);
	}

	/**
	 * GETs an actuator path (for example {@code health/liveness}) and returns the
	 * response.
	 */
	HttpResponse<String> get(String path) throws Exception {
		return this.client.send(request("/actuator/" + path).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	/** POSTs to an actuator operation and returns the response. */
	HttpResponse<String> post(String operation) throws Exception {
		return this.client.send(request("/actuator/" + operation).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", this.authorization)
			.timeout(Duration.ofSeconds(30));
	}

	/** The value at a dotted path of nested maps. */
	@SuppressWarnings("unchecked")
	static Object at(Map<String, Object> state, String path) {
		Object value = state;
		for (String part : path.split("\\.")) {
			value = ((Map<String, Object>) value).get(part);
		}
		return value;
	}

}
