package io.eventgateway.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One event to send to the gateway.
 *
 * <p>
 * Ingest needs {@code eventType}, {@code source} and a payload (JSON by convention,
 * passed through unchanged); {@code companyId} is required unless ingest checks API keys,
 * in which case the company comes from the key. An event without an id gets a random UUID
 * from the client before its first attempt, so every retry carries the same id.
 *
 * @param eventId the id (1 to 128 of {@code A-Z a-z 0-9 . _ : -}), or {@code null} to
 * have one generated
 * @param companyId the tenant, or {@code null} when the API key names it
 * @param eventType the type, for example {@code order.placed}; the gateway's classifier
 * rules pick a priority from it
 * @param source the name of the system that produced the event
 * @param payload the body; not copied, so do not change it after sending
 * @param notBefore do not hand the event to a worker before this time, or {@code null}
 */
public record Event(String eventId, String companyId, String eventType, String source, byte[] payload,
		Instant notBefore) {

	/** An event with a generated id, no company (the API key's) and no delay. */
	public static Event of(String eventType, String source, byte[] payload) {
		return new Event(null, null, eventType, source, payload, null);
	}

	/** An event whose payload is a JSON document, sent as UTF-8. */
	public static Event ofJson(String eventType, String source, String json) {
		return of(eventType, source, json.getBytes(StandardCharsets.UTF_8));
	}

	/** This event with the given id. */
	public Event withEventId(String eventId) {
		return new Event(eventId, this.companyId, this.eventType, this.source, this.payload, this.notBefore);
	}

	/** This event for the given company. */
	public Event withCompanyId(String companyId) {
		return new Event(this.eventId, companyId, this.eventType, this.source, this.payload, this.notBefore);
	}

	/** This event, held back until the given time. */
	public Event withNotBefore(Instant notBefore) {
		return new Event(this.eventId, this.companyId, this.eventType, this.source, this.payload, notBefore);
	}

}
