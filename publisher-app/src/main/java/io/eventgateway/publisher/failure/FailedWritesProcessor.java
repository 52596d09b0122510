package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.failure.UnusableRecordException.Reason;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.LaneProducer;
import io.eventgateway.publisher.produce.OrderingHeaders;
import io.eventgateway.publisher.produce.ReplayRoute;

import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;

/**
 * Moves events from the failed-writes topic (fallback cluster) back to their intended
 * topics on the primary cluster, one record at a time, under a Spring Kafka listener
 * container whose error handler retries a failed write with back-off and then calls
 * {@link #recover}.
 *
 * <p>
 * A republished record carries its event's ordering headers, made from the event itself.
 * A failed write meant for a delay topic (any tier, current or not) is routed afresh as
 * the forwarder would: once due (its {@code DELAY_UNTIL}, else its event's
 * {@code not_before}) to the topic it waited for ({@code DELAYED_TO}, else its lane's)
 * without delay headers, else to the tier for the time left with new delay headers;
 * appended behind the records held on its first tier, it would arrive up to a tier late.
 * {@link #republish} returns only once the primary acknowledged the write, so the
 * container commits a record only after it is safely on its topic. A record that can
 * never be republished ({@link UnusableRecordException}) is parked on
 * {@code <failed-writes topic>.parked} at once; a usable one the primary keeps refusing
 * goes to the spool after the last attempt. When parking or spooling fails too, the
 * recoverer throws and the record is read again: nothing is skipped.
 *
 * <p>
 * Thread-safe: the container's consumer thread calls the methods; counters are read from
 * any thread.
 */
public class FailedWritesProcessor {

	private static final Log logger = LogFactory.getLog(FailedWritesProcessor.class);

	private final ClusterProducers primary;

	/** Between attempts to park a record the parking topic refused. */
	private static final java.time.Duration PARK_RETRY_PAUSE = java.time.Duration.ofSeconds(1);

	private final LaneProducer parking;

	private final String parkingTopic;

	private final Set<String> intendedTopics;

	private final EventSpool spool;

	private final Settings settings;

	private final DelayRouting delays;

	private final AtomicLong republished = new AtomicLong();

	private final AtomicLong spooled = new AtomicLong();

	private final Map<Reason, AtomicLong> parked = new EnumMap<>(Reason.class);

	private final Map<Stage, AtomicLong> failures = new EnumMap<>(Stage.class);

	/**
	 * @param primary the primary cluster's producers
	 * @param parking a producer on the fallback cluster, where the parking topic lives
	 * @param parkingTopic where unusable records go
	 * @param intendedTopics the topics a failed write may be meant for (the lanes'
	 * topics)
	 * @param spool where events go when the primary keeps refusing them
	 * @param settings how hard to try
	 */
	public FailedWritesProcessor(ClusterProducers primary, LaneProducer parking, String parkingTopic,
			Set<String> intendedTopics, EventSpool spool, Settings settings) {
		this(primary, parking, parkingTopic, intendedTopics, spool, settings,
				new DelayRouting(TopicLayout.defaults(), Clock.systemUTC()));
	}

	/**
	 * @param primary the primary cluster's producers
	 * @param parking a producer on the fallback cluster, where the parking topic lives
	 * @param parkingTopic where unusable records go
	 * @param intendedTopics the topics a failed write may be meant for (the lanes'
	 * topics); any delay topic of {@code delays}, a current tier or not, is accepted as
	 * well
	 * @param spool where events go when the primary keeps refusing them
	 * @param settings how hard to try
	 * @param delays where a failed write meant for a delay topic goes now
	 */
	public FailedWritesProcessor(ClusterProducers primary, LaneProducer parking, String parkingTopic,
			Set<String> intendedTopics, EventSpool spool, Settings settings, DelayRouting delays) {
		this.primary = primary;
		this.parking = parking;
		this.parkingTopic = parkingTopic;
		this.intendedTopics = Set.copyOf(intendedTopics);
		this.delays = delays;
		this.spool = spool;
		this.settings = settings;
		for (Reason reason : Reason.values()) {
			this.parked.put(reason, new AtomicLong());
		}
		for (Stage stage : Stage.values()) {
			this.failures.put(stage, new AtomicLong());
		}
	}

	/**
	 * Writes a failed write to its intended topic and waits for the acknowledgement.
	 * @param record a record of the failed-writes topic
	 * @throws UnusableRecordException when the record can never be republished
	 * @throws WriteFailedException when the primary did not acknowledge the write in time
	 */
	public void republish(ConsumerRecord<String, byte[]> record) {
		FailedWrite write = classify(record);
		// A delay record's replay is routed afresh: to its destination once due, else to
		// the tier for the time left.
		ReplayRoute route = this.delays.routeReplay(write.event(), write.intendedTopic(), record.headers());
		ProducerRecord<String, byte[]> republished = new ProducerRecord<>(route.topic(), record.key(), record.value());
		// From the event itself: a failed write from an older version has no headers.
		OrderingHeaders.add(republished.headers(), write.event());
		route.addHeaders(republished.headers());
		await(() -> this.primary.forLane(write.lane()).send(republished), "primary");
		this.republished.incrementAndGet();
	}

	/**
	 * The error handler's recoverer, called once a record's retries are exhausted (at
	 * once for an unusable record): parks or spools it, or throws so that it is read
	 * again.
	 * @param record the record
	 * @param failure the last failure, possibly wrapped by the container
	 */
	public void recover(ConsumerRecord<?, ?> record, Exception failure) {
		UnusableRecordException unusable = causeOf(failure, UnusableRecordException.class);
		if (unusable != null) {
			park(record, unusable);
		}
		else {
			spool(record, failure);
		}
	}

	/**
	 * Told by the error handler of each failed attempt, before the back-off.
	 * @param record the record
	 * @param failure why the attempt failed
	 * @param attempt the attempt that failed, from 1
	 */
	public void attemptFailed(ConsumerRecord<?, ?> record, Exception failure, int attempt) {
		if (causeOf(failure, UnusableRecordException.class) != null) {
			// Not a failed attempt: it is parked without retrying, and logged there.
			return;
		}
		this.failures.get(Stage.REPUBLISH).incrementAndGet();
		logger.warn("Republishing the failed write at " + position(record) + " failed (attempt " + attempt + " of "
				+ this.settings.maxAttempts() + "): " + rootMessage(failure));
	}

	/** Events moved back to the primary cluster since start. */
	public long republishedCount() {
		return this.republished.get();
	}

	/** Events moved to the spool after repeated failures since start. */
	public long spooledCount() {
		return this.spooled.get();
	}

	/** Unusable records parked since start, for one reason. */
	public long parkedCount(Reason reason) {
		return this.parked.get(reason).get();
	}

	/** Failures since start at one stage. */
	public long failureCount(Stage stage) {
		return this.failures.get(stage).get();
	}

	private FailedWrite classify(ConsumerRecord<?, ?> record) {
		if (record.value() == null) {
			throw new UnusableRecordException(Reason.TOMBSTONE, "the record has no value");
		}
		if (!(record.value() instanceof byte[] value) || value.length == 0) {
			throw new UnusableRecordException(Reason.EMPTY_VALUE, "the record's value is empty");
		}
		Event event;
		try {
			event = Event.parseFrom(value);
		}
		catch (InvalidProtocolBufferException ex) {
			throw new UnusableRecordException(Reason.NOT_AN_EVENT, "not an Event: " + ex.getMessage());
		}
		Lane lane;
		try {
			lane = Lane.of(event);
		}
		catch (IllegalArgumentException ex) {
			// Random bytes can parse as an Event with unknown fields only.
			throw new UnusableRecordException(Reason.NOT_AN_EVENT, "no valid priority: " + ex.getMessage());
		}
		if (event.getEventId().isEmpty()) {
			throw new UnusableRecordException(Reason.NOT_AN_EVENT, "the event has no event_id");
		}
		String topic = GatewayHeaders.getString(record.headers(), GatewayHeaders.INTENDED_TOPIC);
		if (topic == null || topic.isBlank()) {
			throw new UnusableRecordException(Reason.MISSING_INTENDED_TOPIC,
					"no " + GatewayHeaders.INTENDED_TOPIC + " header");
		}
		if (!this.intendedTopics.contains(topic) && !this.delays.isDelayTopic(topic)) {
			throw new UnusableRecordException(Reason.UNKNOWN_INTENDED_TOPIC,
					"intended topic '" + topic + "' is not one the publisher writes to");
		}
		return new FailedWrite(event, lane, topic);
	}

	/**
	 * Parks the record without its value and its own headers (only the origin and the
	 * reason), for a record too large to park whole.
	 * @return whether that worked
	 */
	private boolean parkTrimmed(ConsumerRecord<?, ?> record, UnusableRecordException unusable, RecordHeaders whole) {
		RecordHeaders headers = new RecordHeaders();
		for (String name : new String[] { GatewayHeaders.ORIGINAL_TOPIC, GatewayHeaders.ORIGINAL_PARTITION,
				GatewayHeaders.ORIGINAL_OFFSET, GatewayHeaders.PARKED_REASON, GatewayHeaders.ERROR }) {
			headers.add(whole.lastHeader(name));
		}
		GatewayHeaders.putString(headers, GatewayHeaders.VALUE_DROPPED, "could not be parked whole");
		try {
			await(() -> this.parking
				.send(new ProducerRecord<String, byte[]>(this.parkingTopic, null, null, null, null, headers)),
					"parking topic");
		}
		catch (WriteFailedException ex) {
			return false;
		}
		this.parked.get(unusable.reason()).incrementAndGet();
		logger.warn("Parked the unusable record at " + position(record) + " on " + this.parkingTopic
				+ " without its value, which could not be parked whole: " + unusable.getMessage());
		return true;
	}

	private static void pauseAfterFailedPark() {
		try {
			Thread.sleep(PARK_RETRY_PAUSE.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void park(ConsumerRecord<?, ?> record, UnusableRecordException unusable) {
		RecordHeaders headers = new RecordHeaders(record.headers().toArray());
		GatewayHeaders.putString(headers, GatewayHeaders.ORIGINAL_TOPIC, record.topic());
		GatewayHeaders.putLong(headers, GatewayHeaders.ORIGINAL_PARTITION, record.partition());
		GatewayHeaders.putLong(headers, GatewayHeaders.ORIGINAL_OFFSET, record.offset());
		GatewayHeaders.putString(headers, GatewayHeaders.PARKED_REASON, unusable.reason().name());
		GatewayHeaders.putString(headers, GatewayHeaders.ERROR, unusable.getMessage());
		String key = (record.key() instanceof String text) ? text : null;
		byte[] value = (record.value() instanceof byte[] bytes) ? bytes : null;
		try {
			await(() -> this.parking.send(new ProducerRecord<>(this.parkingTopic, null, key, value, headers)),
					"parking topic");
		}
		catch (WriteFailedException ex) {
			this.failures.get(Stage.PARK).incrementAndGet();
			if (parkTrimmed(record, unusable, headers)) {
				return;
			}
			logger.error("Could not park the unusable record at " + position(record) + " (" + unusable.getMessage()
					+ "); it is read again: " + rootMessage(ex));
			// Not retryable, so the error handler reads it again at once: pause a little
			// rather than spin against a cluster that just refused.
			pauseAfterFailedPark();
			throw ex;
		}
		this.parked.get(unusable.reason()).incrementAndGet();
		logger.warn("Parked the unusable record at " + position(record) + " on " + this.parkingTopic + ": "
				+ unusable.getMessage());
	}

	private void spool(ConsumerRecord<?, ?> record, Exception failure) {
		FailedWrite write = classify(record);
		String key;
		try {
			key = this.spool.write(write.event(), write.intendedTopic());
		}
		catch (IOException | RuntimeException ex) {
			this.failures.get(Stage.SPOOL).incrementAndGet();
			logger.error("The failed write at " + position(record) + " could not be spooled either; it is read"
					+ " again: " + rootMessage(ex));
			throw (ex instanceof IOException io) ? new UncheckedIOException(io) : (RuntimeException) ex;
		}
		this.spooled.incrementAndGet();
		logger.warn("Spooled the failed write at " + position(record) + " as " + key + " after "
				+ this.settings.maxAttempts() + " attempts: " + rootMessage(failure));
	}

	private void await(Send send, String destination) {
		try {
			send.start().get(this.settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new WriteFailedException("the " + destination + " refused the write", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new WriteFailedException(
					"the " + destination + " did not answer within " + this.settings.writeTimeout(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WriteFailedException("interrupted while writing to the " + destination, ex);
		}
		catch (RuntimeException ex) {
			// send() itself throws when it cannot even queue the record (metadata
			// timeout).
			throw new WriteFailedException("the " + destination + " refused the write", ex);
		}
	}

	private static String position(ConsumerRecord<?, ?> record) {
		return record.topic() + "-" + record.partition() + "@" + record.offset();
	}

	private static @Nullable <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * The gateway's own failure (not the container's wrapper around it) and, when it has
	 * a cause, the innermost one.
	 */
	private static String rootMessage(Throwable failure) {
		Throwable own = causeOf(failure, WriteFailedException.class);
		Throwable top = (own != null) ? own : failure;
		Throwable root = top;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root == top) ? String.valueOf(top.getMessage())
				: top.getMessage() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
	}

	/** Where a failure happened; a meter tag. */
	public enum Stage {

		/** A write to the primary cluster (retried). */
		REPUBLISH,

		/** A write to the spool after the last attempt (the record is read again). */
		SPOOL,

		/** A write to the parking topic (the record is read again). */
		PARK

	}

	/** A write to Kafka, started when called. */
	@FunctionalInterface
	private interface Send {

		CompletableFuture<?> start();

	}

	/** A usable failed write. */
	private record FailedWrite(Event event, Lane lane, String intendedTopic) {
	}

	/** A write Kafka did not acknowledge in time: worth retrying. */
	public static class WriteFailedException extends RuntimeException {

		WriteFailedException(String message, @Nullable Throwable cause) {
			super(message, cause);
		}

	}

	/**
	 * How hard to try before spooling.
	 *
	 * @param maxAttempts republish attempts per event before it is spooled
	 * @param initialBackoff the wait after the first failed attempt, doubled each time
	 * @param maxBackoff the longest wait between attempts
	 * @param writeTimeout how long one write may take
	 */
	public record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration writeTimeout) {

		/** The error handler's back-off between attempts at one record. */
		public BackOff backOff() {
			ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(this.maxAttempts - 1);
			backOff.setInitialInterval(this.initialBackoff.toMillis());
			backOff.setMultiplier(2);
			backOff.setMaxInterval(this.maxBackoff.toMillis());
			return backOff;
		}

		/**
		 * The most records one poll may return so that handling them all, each taking up
		 * to a write to the primary and one to the spool or parking topic, fits in the
		 * poll interval; a consumer that overruns it leaves its group and cannot commit.
		 * @param maxPollInterval the consumer's {@code max.poll.interval.ms}
		 */
		public int maxPollRecords(Duration maxPollInterval) {
			long perRecord = Math.max(1, this.writeTimeout.toMillis() * 2);
			return (int) Math.max(1, Math.min(500, maxPollInterval.toMillis() / perRecord));
		}

	}

}
