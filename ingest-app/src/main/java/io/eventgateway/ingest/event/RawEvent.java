package io.eventgateway.ingest.event;

/**
 * An event as a producer sent it, after its fields were read but before validation.
 *
 * @param eventId the client-chosen id, or {@code null} to have one generated
 * @param companyId the tenant
 * @param eventType what happened
 * @param source where it came from
 * @param payload the body, passed through unchanged
 */
public record RawEvent(String eventId, String companyId, String eventType, String source, byte[] payload) {

}
