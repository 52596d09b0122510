package io.eventgateway.orchestrator.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.proto.v1.Event;

/**
 * Reads dead letters from the dead-letter topic, up to its end offsets when the read
 * began, with a consumer in no group: reading commits nothing and disturbs no
 * orchestrator.
 *
 * <p>
 * Thread-safe: each read opens and closes a consumer of its own.
 */
public class DeadLetterReader {

	private static final Pattern POSITION = Pattern.compile("(\\d+):(\\d+)");

	private static final Comparator<StoredLetter> OLDEST_FIRST = Comparator
		.comparing((StoredLetter stored) -> stored.letter().deadLetteredAt())
		.thenComparingInt((stored) -> stored.letter().partition())
		.thenComparingLong((stored) -> stored.letter().offset());

	private final Supplier<Consumer<String, byte[]>> consumers;

	private final String topic;

	private final Duration timeout;

	/**
	 * @param consumers new consumers without a group
	 * @param topic the dead-letter topic
	 * @param timeout how long one read may take
	 */
	public DeadLetterReader(Supplier<Consumer<String, byte[]>> consumers, String topic, Duration timeout) {
		this.consumers = consumers;
		this.topic = topic;
		this.timeout = timeout;
	}

	/** The dead-letter topic. */
	public String topic() {
		return this.topic;
	}

	/** The letters the filter selects, the oldest first, at most its limit. */
	public List<DeadLetter> list(DeadLetterFilter filter) {
		return select(filter).stream().map(StoredLetter::letter).toList();
	}

	/**
	 * The letters an id names: {@code partition:offset} names one, an event id every
	 * letter of that event (an event can be dead-lettered more than once).
	 */
	public List<DeadLetter> show(String id) {
		return selectIds(List.of(id)).stream().map(StoredLetter::letter).toList();
	}

	List<StoredLetter> select(DeadLetterFilter filter) {
		List<StoredLetter> selected = read((letter) -> filter.matches(letter));
		return selected.stream().sorted(OLDEST_FIRST).limit(filter.limit()).toList();
	}

	/** The letters the ids name (positions or event ids), the oldest first. */
	List<StoredLetter> selectIds(Collection<String> ids) {
		Set<String> wanted = new LinkedHashSet<>();
		for (String id : ids) {
			Matcher position = POSITION.matcher(id.trim());
			// A position is normalised ("01:7" and "1:7" are one letter); anything else
			// is an event id.
			wanted.add(position.matches()
					? Integer.parseInt(position.group(1)) + ":" + Long.parseLong(position.group(2)) : id.trim());
		}
		List<StoredLetter> selected = read((letter) -> wanted.contains(letter.id())
				|| (letter.eventId() != null && wanted.contains(letter.eventId())));
		return selected.stream().sorted(OLDEST_FIRST).toList();
	}

	private List<StoredLetter> read(Predicate<DeadLetter> wanted) {
		List<StoredLetter> letters = new ArrayList<>();
		try (Consumer<String, byte[]> consumer = this.consumers.get()) {
			boolean exists = BoundedTopicScan.scan(consumer, this.topic, this.timeout, (record) -> {
				StoredLetter stored = decode(record);
				if (wanted.test(stored.letter())) {
					letters.add(stored);
				}
			});
			if (!exists) {
				throw new IllegalStateException("The dead-letter topic " + this.topic + " does not exist");
			}
		}
		return letters;
	}

	static StoredLetter decode(ConsumerRecord<String, byte[]> record) {
		Headers headers = record.headers();
		Event event = event(record.value());
		Priority priority = null;
		if (event != null) {
			try {
				priority = Priority.fromProto(event.getPriorityLevel());
			}
			catch (IllegalArgumentException ex) {
				// Shown without one; a redrive refuses it.
			}
		}
		DeadLetter letter = new DeadLetter(record.partition(), record.offset(),
				(event != null) ? event.getEventId() : null, (event != null) ? event.getEventType() : null,
				(event != null) ? event.getCompanyId() : null, priority,
				GatewayHeaders.getString(headers, GatewayHeaders.ORIGINAL_TOPIC),
				(int) GatewayHeaders.getLong(headers, GatewayHeaders.ORIGINAL_PARTITION, -1),
				GatewayHeaders.getLong(headers, GatewayHeaders.ORIGINAL_OFFSET, -1),
				GatewayHeaders.getLong(headers, GatewayHeaders.ATTEMPTS, -1),
				GatewayHeaders.getString(headers, GatewayHeaders.ERROR), Instant.ofEpochMilli(record.timestamp()));
		return new StoredLetter(letter, event, GatewayHeaders.getString(headers, EventTracing.HEADER));
	}

	private static @Nullable Event event(byte @Nullable [] value) {
		if (value == null || value.length == 0) {
			return null;
		}
		try {
			Event event = Event.parseFrom(value);
			// Foreign records that happen to parse have no id: not an event.
			return event.getEventId().isEmpty() ? null : event;
		}
		catch (InvalidProtocolBufferException ex) {
			return null;
		}
	}

}
