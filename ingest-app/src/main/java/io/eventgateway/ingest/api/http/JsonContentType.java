package io.eventgateway.ingest.api.http;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Which request content types are read as JSON: {@code application/json} and
 * {@code application/*+json}, any parameters (a charset) allowed, and none at all, for
 * the simplest clients (a browser cannot send a cross-site request without one, so this
 * opens nothing). Anything else, {@code text/plain} included, is refused: a form or
 * plain-text body is not a batch, whatever its bytes look like.
 */
final class JsonContentType {

	private JsonContentType() {
	}

	static boolean isJson(String contentType) {
		if (contentType == null || contentType.isBlank()) {
			return true;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return "application".equalsIgnoreCase(type.getType()) && ("json".equalsIgnoreCase(type.getSubtype())
					|| type.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json"));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
