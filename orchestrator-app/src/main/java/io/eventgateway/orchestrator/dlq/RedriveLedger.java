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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.kafka.GatewayHeaders;

/**
 * The record of every redrive, in a compacted topic keyed by the dead letter's
 * {@code partition:offset}: a letter claimed or redriven there is never redriven again,
 * by this process or any other, until its claim is released.
 *
 * <p>
 * A redrive run first <em>claims</em> a letter (marker {@link State#CLAIMED}), then
 * writes the event, then confirms ({@link State#REDRIVEN}); when it knows the event was
 * not written it releases its claim ({@link State#RELEASED}). Markers of one letter share
 * a key, so they land in one partition in the order written, and read in that order they
 * give the letter's state ({@link #fold}): a claim takes a free letter and is ignored
 * while another run holds it, a release frees the letter only when its run holds it.
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
		REDRIVEN,

		/**
		 * The run that claimed the letter did not write it: the letter may be redriven
		 * again.
		 */
		RELEASED

	}

	/**
	 * The state of a letter in the ledger.
	 *
	 * @param run the run that holds it (claimed or redrove it)
	 * @param state {@link State#CLAIMED} or {@link State#REDRIVEN}; a released letter has
	 * no marker
	 */
	record Marker(String run, State state) {

	}

	/**
	 * The letter's state after one more marker, in ledger order.
	 * @param current its state so far, {@code null} when free
	 * @param run the run that wrote the marker
	 * @param state what the marker says
	 * @return its new state, {@code null} when free
	 */
	static @Nullable Marker fold(@Nullable Marker current, String run, State state) {
		if (current == null) {
			// A release of a letter no run holds changes nothing; a confirmation counts
			// even alone, since compaction keeps only a letter's last marker.
			return (state == State.RELEASED) ? null : new Marker(run, state);
		}
		if (!current.run().equals(run) || current.state() == State.REDRIVEN) {
			// Another run's marker, or a letter redriven for good.
			return current;
		}
		return switch (state) {
			case CLAIMED -> current;
			case REDRIVEN -> new Marker(run, State.REDRIVEN);
			default -> null;
		};
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
	 * The state of every claimed or redriven letter in the ledger, by letter id; empty
	 * when the ledger topic does not exist yet.
	 */
	Map<String, Marker> markers() {
		Map<String, Marker> markers = new HashMap<>();
		try (Consumer<String, byte[]> consumer = this.consumers.get()) {
			// Offset order within a partition, and a letter's markers share one: read in
			// the order written.
			BoundedTopicScan.scan(consumer, topic(), this.timeout, (record) -> fold(markers, record));
		}
		return markers;
	}

	/**
	 * The state of the letters of one ledger partition just before the given offsets,
	 * read from the partition's start up to the highest of them: whether a claim at such
	 * an offset took its letter. Waits for the offsets to be readable (up to the
	 * timeout), so that a lower high watermark after a leader change does not hide a
	 * claim.
	 * @param partition the ledger partition
	 * @param offsets letter id to the offset of its claim in that partition
	 * @return letter id to its state before its claim, {@code null} values left out
	 */
	Map<String, Marker> markersBefore(int partition, Map<String, Long> offsets) {
		Map<String, Marker> before = new HashMap<>();
		TopicPartition assigned = new TopicPartition(topic(), partition);
		long end = offsets.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
		try (Consumer<String, byte[]> consumer = this.consumers.get()) {
			consumer.assign(List.of(assigned));
			consumer.seekToBeginning(List.of(assigned));
			BoundedTopicScan.drain(consumer, Map.of(assigned, end), this.timeout, (record) -> {
				Long claim = (record.key() != null) ? offsets.get(record.key()) : null;
				if (claim != null && record.offset() < claim) {
					fold(before, record);
				}
			});
		}
		return before;
	}

	private static void fold(Map<String, Marker> markers, ConsumerRecord<String, byte[]> record) {
		String run = GatewayHeaders.getString(record.headers(), RUN);
		String state = GatewayHeaders.getString(record.headers(), STATE);
		if (record.key() == null || run == null || state == null) {
			return;
		}
		Marker next = fold(markers.get(record.key()), run, State.valueOf(state));
		if (next == null) {
			markers.remove(record.key());
		}
		else {
			markers.put(record.key(), next);
		}
	}

	/**
	 * A release of the letter at the position on behalf of the run that holds it, for an
	 * operator.
	 */
	ProducerRecord<String, byte[]> release(String position, String run, Instant at) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic(), position,
				("RELEASED " + position + " by an operator at " + at).getBytes(StandardCharsets.UTF_8));
		GatewayHeaders.putString(record.headers(), RUN, run);
		GatewayHeaders.putString(record.headers(), STATE, State.RELEASED.name());
		return record;
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
