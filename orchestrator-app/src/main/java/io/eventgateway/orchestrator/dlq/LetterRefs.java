package io.eventgateway.orchestrator.dlq;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dead letters named explicitly: by position in the dead-letter topic, or by the event
 * they hold. Two kinds, never guessed from the text, since an event id may look like a
 * position.
 *
 * @param positions {@code partition:offset}, normalised ({@code 01:7} is {@code 1:7})
 * @param eventIds event ids: every letter of each
 */
public record LetterRefs(Set<String> positions, Set<String> eventIds) {

	private static final Pattern POSITION = Pattern.compile("(\\d{1,9}):(\\d{1,18})");

	public LetterRefs {
		positions = Set.copyOf(positions);
		eventIds = Set.copyOf(eventIds);
	}

	/**
	 * The positions and event ids given.
	 * @throws IllegalArgumentException naming a position that is not
	 * {@code partition:offset}
	 */
	public static LetterRefs of(Collection<String> positions, Collection<String> eventIds) {
		Set<String> normalised = new LinkedHashSet<>();
		for (String position : positions) {
			Matcher matcher = POSITION.matcher(position.trim());
			if (!matcher.matches()) {
				throw new IllegalArgumentException(
						"position must be <partition>:<offset> (3:1207), was '" + position + "'");
			}
			normalised.add(Integer.parseInt(matcher.group(1)) + ":" + Long.parseLong(matcher.group(2)));
		}
		Set<String> events = new LinkedHashSet<>();
		for (String eventId : eventIds) {
			if (!eventId.isBlank()) {
				events.add(eventId.trim());
			}
		}
		return new LetterRefs(normalised, events);
	}

	/** Whether it names nothing. */
	public boolean isEmpty() {
		return this.positions.isEmpty() && this.eventIds.isEmpty();
	}

	/** Whether it names the letter. */
	public boolean matches(DeadLetter letter) {
		return this.positions.contains(letter.id())
				|| (letter.eventId() != null && this.eventIds.contains(letter.eventId()));
	}

}
