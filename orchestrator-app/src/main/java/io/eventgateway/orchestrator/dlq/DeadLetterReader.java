package io.eventgateway.orchestrator.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

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

	/** The oldest first, by when they were dead-lettered, then by position. */
	static final Comparator<DeadLetter> OLDEST_FIRST_LETTERS = Comparator.comparing(DeadLetter::deadLetteredAt)
		.thenComparingInt(DeadLetter::partition)
		.thenComparingLong(DeadLetter::offset);

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

	/**
	 * The letters the filter selects, the oldest first, at most its limit. Keeps only the
	 * limit's oldest matches while reading, without their events.
	 */
	public List<DeadLetter> list(DeadLetterFilter filter) {
		return oldest((record) -> describe(record), filter::matches, (letter) -> letter, filter.limit());
	}

	/**
	 * The letters at the positions and of the event ids (an event can be dead-lettered
	 * more than once), the oldest first, at most {@link DeadLetterFilter#MAX_LIMIT}.
	 */
	public List<DeadLetter> show(LetterRefs refs) {
		return oldest((record) -> describe(record), refs::matches, (letter) -> letter, DeadLetterFilter.MAX_LIMIT);
	}

	/** As {@link #list}, with the events, for a redrive. */
	List<StoredLetter> select(DeadLetterFilter filter) {
		return oldest(DeadLetterReader::decode, filter::matches, StoredLetter::letter, filter.limit());
	}

	/** As {@link #show}, with the events, for a redrive. */
	List<StoredLetter> select(LetterRefs refs) {
		return oldest(DeadLetterReader::decode, refs::matches, StoredLetter::letter, DeadLetterFilter.MAX_LIMIT);
	}

	/**
	 * The {@code limit} oldest wanted letters, oldest first: a heap of at most
	 * {@code limit}, so memory does not grow with the topic.
	 */
	private <T> List<T> oldest(Function<ConsumerRecord<String, byte[]>, T> decoder, Predicate<DeadLetter> wanted,
			Function<T, DeadLetter> letterOf, int limit) {
		Comparator<T> oldestFirst = Comparator.comparing(letterOf, OLDEST_FIRST_LETTERS);
		PriorityQueue<T> newestOnTop = new PriorityQueue<>(oldestFirst.reversed());
		try (Consumer<String, byte[]> consumer = this.consumers.get()) {
			boolean exists = BoundedTopicScan.scan(consumer, this.topic, this.timeout, (record) -> {
				T decoded = decoder.apply(record);
				if (wanted.test(letterOf.apply(decoded))) {
					newestOnTop.add(decoded);
					if (newestOnTop.size() > limit) {
						newestOnTop.poll();
					}
				}
			});
			if (!exists) {
				throw new IllegalStateException("The dead-letter topic " + this.topic + " does not exist");
			}
		}
		List<T> oldest = new ArrayList<>(newestOnTop);
		oldest.sort(oldestFirst);
		return oldest;
	}

	/** The letter without its event. */
	static DeadLetter describe(ConsumerRecord<String, byte[]> record) {
		return decode(record).letter();
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
