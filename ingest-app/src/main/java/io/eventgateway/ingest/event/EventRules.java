package io.eventgateway.ingest.event;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The field rules every ingested event must meet, whichever API it came through.
 *
 * @param maxEventBytes the largest payload accepted, in bytes
 */
public record EventRules(int maxEventBytes) {

	/** Event ids are safe to log, to use as keys and to put in headers. */
	private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static final int MAX_ID_LENGTH = 128;

	private static final int MAX_NAME_LENGTH = 256;

	/** Whether a client-chosen id (of an event or a request) has an acceptable form. */
	public static boolean isValidId(String id) {
		return EVENT_ID.matcher(id).matches();
	}

	/** The problems of one event; empty when it is acceptable. */
	public List<FieldError> check(int index, RawEvent event) {
		List<FieldError> errors = new ArrayList<>();
		if (event.eventId() != null && !isValidId(event.eventId())) {
			errors.add(FieldError.ofEvent(index, "event_id",
					"must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'"));
		}
		requireText(errors, index, "company_id", event.companyId(), MAX_ID_LENGTH);
		requireText(errors, index, "event_type", event.eventType(), MAX_NAME_LENGTH);
		requireText(errors, index, "source", event.source(), MAX_NAME_LENGTH);
		if (event.payload() != null && event.payload().length > this.maxEventBytes) {
			errors.add(FieldError.ofEvent(index, "payload",
					"is " + event.payload().length + " bytes, over the limit of " + this.maxEventBytes));
		}
		return errors;
	}

	private static boolean hasUnpairedSurrogate(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length()
					&& Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return true;
			}
		}
		return false;
	}

	private static void requireText(List<FieldError> errors, int index, String field, String value, int maxLength) {
		if (value == null || value.isBlank()) {
			errors.add(FieldError.ofEvent(index, field, "is required"));
		}
		else if (value.length() > maxLength) {
			errors.add(FieldError.ofEvent(index, field, "must be at most " + maxLength + " characters"));
		}
		else if (value.chars().anyMatch(Character::isISOControl)) {
			errors.add(FieldError.ofEvent(index, field, "must not contain control characters"));
		}
		else if (hasUnpairedSurrogate(value)) {
			errors.add(FieldError.ofEvent(index, field, "must be valid Unicode (it has an unpaired surrogate)"));
		}
	}

}
