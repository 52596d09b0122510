package io.eventgateway.ingest.event;

/**
 * A problem with one field of a request.
 *
 * @param field the field path, for example {@code events[2].company_id}
 * @param message what is wrong with it
 */
public record FieldError(String field, String message) {

	/** An error on field {@code name} of event {@code index}. */
	public static FieldError ofEvent(int index, String name, String message) {
		return new FieldError("events[" + index + "]" + (name.isEmpty() ? "" : "." + name), message);
	}

}
