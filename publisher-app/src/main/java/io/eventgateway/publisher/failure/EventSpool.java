package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.util.List;

import io.eventgateway.proto.v1.Event;

/**
 * Durable storage of last resort for events no Kafka cluster would take. Implementations:
 * a local directory (the default) and S3-compatible object storage.
 */
public interface EventSpool {

	/**
	 * Stores an event durably before returning.
	 * @param event the event
	 * @param intendedTopic the topic it was meant for
	 * @return the key it is stored under
	 * @throws IOException when it could not be stored
	 */
	String write(Event event, String intendedTopic) throws IOException;

	/** The keys of every stored event, oldest first. */
	List<String> keys() throws IOException;

	/**
	 * The event stored under a key.
	 * @throws java.nio.file.NoSuchFileException when nothing is stored under it (any
	 * more)
	 */
	SpooledEvent read(String key) throws IOException;

	/**
	 * When the event stored under a key was written, from the key itself (keys begin with
	 * their write time), or {@code null} when the key does not tell.
	 */
	default java.time.Instant writtenAt(String key) {
		return SpoolKeys.writtenAt(key);
	}

	/** Removes a stored event; call only once it is safely elsewhere. */
	void delete(String key) throws IOException;

	/**
	 * A stored event.
	 *
	 * @param event the event
	 * @param intendedTopic the topic it was meant for
	 */
	record SpooledEvent(Event event, String intendedTopic) {
	}

}
