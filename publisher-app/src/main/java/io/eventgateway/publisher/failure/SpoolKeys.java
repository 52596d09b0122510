package io.eventgateway.publisher.failure;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Names spooled events so that names sort by write time (epoch millis first, then a
 * per-process sequence for writes in the same millisecond) and stay safe as file names
 * and object keys.
 *
 * <p>
 * Thread-safe.
 */
final class SpoolKeys {

	private final AtomicLong sequence = new AtomicLong();

	/** The width of the leading epoch millis of a key. */
	private static final int MILLIS_DIGITS = 20;

	/**
	 * When the event of a key this class made was written, or {@code null} for a name of
	 * another form.
	 */
	static java.time.Instant writtenAt(String name) {
		if (name.length() <= MILLIS_DIGITS || name.charAt(MILLIS_DIGITS) != '-') {
			return null;
		}
		for (int i = 0; i < MILLIS_DIGITS; i++) {
			if (!Character.isDigit(name.charAt(i))) {
				return null;
			}
		}
		return java.time.Instant.ofEpochMilli(Long.parseLong(name.substring(0, MILLIS_DIGITS)));
	}

	/** A new key for an event, ending in {@code suffix}. */
	String next(String eventId, String suffix) {
		String safeId = eventId.replaceAll("[^A-Za-z0-9._-]", "_");
		return String.format("%020d-%08d-%s%s", System.currentTimeMillis(),
				this.sequence.incrementAndGet() % 100_000_000, safeId.substring(0, Math.min(safeId.length(), 64)),
				suffix);
	}

}
