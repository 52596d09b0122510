package io.eventgateway.ingest.event;

import java.time.Instant;

/**
 * An event as a producer sent it, after its fields were read but before validation.
 *
 * @param eventId the client-chosen id, or {@code null} to have one generated
 * @param companyId the tenant; {@code null} when it comes from the API key
 * @param eventType what happened
 * @param source where it came from
 * @param payload the body, passed through unchanged
 * @param notBefore the earliest hand-off time the client asked for, or {@code null}
 */
public record RawEvent(String eventId, String companyId, String eventType, String source, byte[] payload,
		Instant notBefore) {

	/** The same event attributed to a company. */
	public RawEvent withCompany(String company) {
		return new RawEvent(this.eventId, company, this.eventType, this.source, this.payload, this.notBefore);
	}

}
