package io.eventgateway.orchestrator.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.kafka.GatewayHeaders;

/**
 * The record of every redrive, in a compacted topic keyed by the dead letter's
 * {@code partition:offset}: a letter with any marker there is never redriven again, by
 * this process or any other.
 *
 * <p>
 * A redrive run first <em>claims</em> a letter (marker {@link State#CLAIMED}), then
 * writes the event, then confirms ({@link State#REDRIVEN}). Markers of one letter share a
 * key, so they land in one partition in the order written, and the first claim there wins
 * a race between two runs.
 *
 * <p>
 * Thread-safe: each read opens and closes a consumer of its own.
 */
public class RedriveLedger {

	/** Header: the {@link State} of a marker. */
	static final String STATE = "gateway-redrive-state";

	/** Header: the redrive run that wrote a marker. */
	static final String RUN = "gateway-redrive-run";

	/** What a marker says about its letter. */
	enum State {

		/** A run took the letter and is about to write it; a crash may leave it here. */
		CLAIMED,

		/** The event is on its target topic. */
		REDRIVEN

	}

	/**
	 * The first marker of a letter in the ledger.
	 *
	 * @param run the run that wrote it
	 * @param state what it says
	 */
	record Marker(String run, State state) {

	}

	private final Supplier<Consumer<String, byte[]>> consumers;

	private final Supplier<Admin> admins;

	private final NewTopic topic;

	private final boolean create;

	private final Duration timeout;

	/**
	 * @param consumers new consumers without a group
	 * @param admins new admin clients of the cluster
	 * @param topic the ledger topic as it is created when missing (compacted)
	 * @param create whether a missing ledger topic may be created
	 * ({@code gateway.topics.create})
	 * @param timeout how long one read or topic creation may take
	 */
	public RedriveLedger(Supplier<Consumer<String, byte[]>> consumers, Supplier<Admin> admins, NewTopic topic,
			boolean create, Duration timeout) {
		this.consumers = consumers;
		this.admins = admins;
		this.topic = topic;
		this.create = create;
		this.timeout = timeout;
	}

	/** The ledger topic's name. */
	public String topic() {
		return this.topic.name();
	}

	/**
	 * Creates the ledger topic when it is missing.
	 * @throws IllegalStateException when it is missing and may not be created
	 */
	void ensureTopic() {
		try (Admin admin = this.admins.get()) {
			Set<String> names = admin.listTopics().names().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (names.contains(topic())) {
				return;
			}
			if (!this.create) {
				throw new IllegalStateException("The redrive ledger topic " + topic()
						+ " does not exist and gateway.topics.create is false: create it (compacted) first");
			}
			admin.createTopics(List.of(this.topic)).all().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				throw new IllegalStateException(
						"Cannot create the redrive ledger topic " + topic() + ": " + ex.getCause().getMessage(),
						ex.getCause());
			}
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(
					"The cluster did not answer within " + this.timeout + " about the redrive ledger topic " + topic(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while checking the redrive ledger topic " + topic(), ex);
		}
	}

	/**
	 * The first marker of every letter in the ledger, by letter id; empty when the ledger
	 * topic does not exist yet.
	 */
	Map<String, Marker> markers() {
		Map<String, Marker> markers = new HashMap<>();
		try (Consumer<String, byte[]> consumer = this.consumers.get()) {
			BoundedTopicScan.scan(consumer, topic(), this.timeout, (record) -> {
				String run = GatewayHeaders.getString(record.headers(), RUN);
				String state = GatewayHeaders.getString(record.headers(), STATE);
				if (record.key() != null && run != null && state != null) {
					// Offset order within a partition, and a letter's markers share one:
					// the first one read is the first one written.
					markers.putIfAbsent(record.key(), new Marker(run, State.valueOf(state)));
				}
			});
		}
		return markers;
	}

	/** A marker record for the letter. */
	ProducerRecord<String, byte[]> marker(DeadLetter letter, String run, State state, String target,
			@Nullable String detail, Instant at) {
		String text = state + " " + letter.id() + " event " + letter.eventId() + " to " + target + " at " + at
				+ ((detail != null) ? " (" + detail + ")" : "");
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic(), letter.id(),
				text.getBytes(StandardCharsets.UTF_8));
		Headers headers = record.headers();
		GatewayHeaders.putString(headers, RUN, run);
		GatewayHeaders.putString(headers, STATE, state.name());
		return record;
	}

}
