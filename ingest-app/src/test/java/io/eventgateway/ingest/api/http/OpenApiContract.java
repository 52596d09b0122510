package io.eventgateway.ingest.api.http;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks HTTP requests and responses against an OpenAPI 3.1 description: the status, the
 * media type, the headers and the JSON body, whose schemas (JSON Schema 2020-12, as
 * OpenAPI 3.1 defines them) are checked with their {@code #/components} references. Each
 * check returns the violations found, empty when the exchange is what the description
 * says.
 *
 * <p>
 * Only what this API uses is supported: header parameters, JSON bodies and headers a
 * response declares. Response headers named {@code X-*} are the API's own and must be
 * declared, except the standard security headers; others (Content-Type, Connection, ...)
 * need not be.
 */
final class OpenApiContract {

	/** Set by the web stack on every answer, not part of this API's contract. */
	private static final Set<String> SECURITY_HEADERS = Set.of("x-content-type-options", "x-frame-options",
			"x-xss-protection");

	private final JsonNode document;

	private final JsonMapper json = JsonMapper.builder().build();

	private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private OpenApiContract(JsonNode document) {
		this.document = document;
	}

	static OpenApiContract parse(String yaml) {
		return new OpenApiContract(new YAMLMapper().readTree(yaml));
	}

	/**
	 * What the request does that the operation does not describe.
	 * @param method the HTTP method, lower case as in the description
	 * @param path the path as written in the description
	 * @param headers the headers sent, besides Content-Type
	 * @param contentType the Content-Type sent
	 * @param body the body sent
	 * @return the violations, empty when the request is described
	 */
	List<String> requestViolations(String method, String path, Map<String, String> headers, String contentType,
			String body) {
		List<String> violations = new ArrayList<>();
		JsonNode operation = this.document.path("paths").path(path).path(method);
		if (operation.isMissingNode()) {
			return List.of(method + " " + path + ": not described");
		}
		List<String> described = new ArrayList<>();
		for (JsonNode parameter : operation.path("parameters")) {
			if (!"header".equals(parameter.path("in").asString())) {
				continue;
			}
			String name = parameter.path("name").asString();
			described.add(name.toLowerCase(Locale.ROOT));
			Optional<String> value = headers.entrySet()
				.stream()
				.filter((header) -> header.getKey().equalsIgnoreCase(name))
				.map(Map.Entry::getValue)
				.findFirst();
			if (value.isEmpty() && parameter.path("required").asBoolean(false)) {
				violations.add("header " + name + ": required");
			}
			value.ifPresent((text) -> violations.addAll(
					validate("header " + name, parameter.path("schema"), JsonNodeFactory.instance.stringNode(text))));
		}
		headers.keySet()
			.stream()
			.filter((name) -> !described.contains(name.toLowerCase(Locale.ROOT)))
			.forEach((name) -> violations.add("header " + name + ": not described"));
		JsonNode requestBody = operation.path("requestBody");
		if (body.isEmpty()) {
			if (requestBody.path("required").asBoolean(false)) {
				violations.add("body: required");
			}
			return violations;
		}
		violations.addAll(validateBody("request body", requestBody.path("content"), contentType, body));
		return violations;
	}

	/**
	 * What the response does that the operation does not describe.
	 * @param method the HTTP method, lower case as in the description
	 * @param path the path as written in the description
	 * @param status the status received
	 * @param headers the headers received
	 * @param body the body received
	 * @return the violations, empty when the response is described
	 */
	List<String> responseViolations(String method, String path, int status, HttpHeaders headers, String body) {
		JsonNode response = this.document.path("paths").path(path).path(method).path("responses");
		response = response.has(String.valueOf(status)) ? response.path(String.valueOf(status))
				: response.path("default");
		if (response.isMissingNode()) {
			return List.of("status " + status + ": not described");
		}
		List<String> violations = new ArrayList<>();
		JsonNode declared = response.path("headers");
		for (String name : headers.map().keySet()) {
			Optional<String> declaredName = declared.propertyNames()
				.stream()
				.filter((candidate) -> candidate.equalsIgnoreCase(name))
				.findFirst();
			if (declaredName.isPresent()) {
				violations.addAll(
						validate(status + " header " + name, resolve(declared.path(declaredName.get())).path("schema"),
								JsonNodeFactory.instance.stringNode(headers.firstValue(name).orElseThrow())));
			}
			else if (name.toLowerCase(Locale.ROOT).startsWith("x-")
					&& !SECURITY_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				violations.add(status + " header " + name + ": not described");
			}
		}
		for (String name : declared.propertyNames()) {
			if (resolve(declared.path(name)).path("required").asBoolean(false) && headers.firstValue(name).isEmpty()) {
				violations.add(status + " header " + name + ": required");
			}
		}
		JsonNode content = response.path("content");
		if (body.isEmpty()) {
			if (!content.isEmpty()) {
				violations.add(status + " body: described but empty");
			}
			return violations;
		}
		violations.addAll(validateBody(status + " body", content, headers.firstValue("Content-Type").orElse(""), body));
		return violations;
	}

	private List<String> validateBody(String what, JsonNode content, String contentType, String body) {
		String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
		if (!content.has(mediaType)) {
			return List.of(what + ": media type '" + mediaType + "' not described (described: "
					+ content.propertyNames() + ")");
		}
		JsonNode instance;
		try {
			instance = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			return List.of(what + ": not JSON (" + ex.getOriginalMessage() + ")");
		}
		return validate(what, content.path(mediaType).path("schema"), instance);
	}

	/** The object a {@code $ref} within the description points to, or the node itself. */
	private JsonNode resolve(JsonNode node) {
		String reference = node.path("$ref").asString("");
		return reference.startsWith("#/") ? this.document.at(reference.substring(1)) : node;
	}

	/**
	 * The schema is checked together with the description's components, so that its
	 * {@code #/components/schemas/...} references resolve as they do in the description.
	 */
	private List<String> validate(String what, JsonNode schemaNode, JsonNode instance) {
		if (!schemaNode.isObject()) {
			return List.of(what + ": no schema described");
		}
		ObjectNode root = ((ObjectNode) schemaNode).deepCopy();
		root.set("components", this.document.path("components"));
		Schema schema = this.schemas.getSchema(root);
		return schema.validate(instance).stream().map((error) -> what + ": " + error).toList();
	}

}
