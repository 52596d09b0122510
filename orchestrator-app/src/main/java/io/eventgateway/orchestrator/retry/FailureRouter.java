package io.eventgateway.orchestrator.retry;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.eventgateway.common.event.OrderableEvents;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.common.trace.LogContext;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.proto.v1.Event;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends failed tasks to their next retry topic, due after the level's delay, or to the
 * dead-letter topic after the last level, with headers saying where the event was first
 * read, how often it failed and why. Records of source topics that are not gateway events
 * go to the dead-letter topic as they are, with their origin and the reason.
 *
 * <p>
 * Thread-safe.
 */
public class FailureRouter implements FailedTaskSink {

	private static final Log logger = LogFactory.getLog(FailureRouter.class);

	private final KafkaTemplate<String, byte[]> kafkaTemplate;

	private final TopicLayout topics;

	private final RetryPolicy policy;

	private final Clock clock;

	private final AtomicLong retried = new AtomicLong();

	private final AtomicLong deadLettered = new AtomicLong();

	private final AtomicLong foreignDeadLettered = new AtomicLong();

	private final AtomicLong foreignUnwritable = new AtomicLong();

	private final AtomicLong unreadableUnwritable = new AtomicLong();

	/** The longest key a trimmed dead letter keeps. */
	private static final int MAX_TRIMMED_KEY_LENGTH = 1024;

	public FailureRouter(KafkaTemplate<String, byte[]> kafkaTemplate, TopicLayout topics, RetryPolicy policy,
			Clock clock) {
		this.kafkaTemplate = kafkaTemplate;
		this.topics = topics;
		this.policy = policy;
		this.clock = clock;
	}

	@Override
	public CompletableFuture<RetryDecision> send(BufferedTask task, String reason) {
		try {
			return route(task, reason);
		}
		catch (RuntimeException ex) {
			// A producer that refuses at once (closed, metadata timeout, record too
			// large): the caller keeps the task and tries the write again.
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * A record too large to copy whole (its value, key or headers, plus the dead letter's
	 * own headers) is dead-lettered without its value, its headers and a long key; one
	 * that does not fit even so is logged at ERROR, counted as unwritable and given up,
	 * since no retry can ever write it: the future then completes normally.
	 */
	@Override
	public CompletableFuture<Void> deadLetter(ForeignRecord foreign) {
		return sendForeign(foreign, true).exceptionallyCompose((failure) -> {
			if (!tooLarge(failure)) {
				return CompletableFuture.failedFuture(failure);
			}
			// Its own size is the problem: keep the evidence that fits.
			return sendForeign(foreign, false).exceptionallyCompose((again) -> {
				if (!tooLarge(again)) {
					return CompletableFuture.failedFuture(again);
				}
				this.foreignUnwritable.incrementAndGet();
				try (LogContext context = LogContext.record(foreign.position().topic(), foreign.position().partition(),
						foreign.position().offset())) {
					logger.error("Foreign record at " + foreign.position()
							+ " cannot be dead-lettered even without its value; giving it up: " + again.getMessage());
				}
				return CompletableFuture.completedFuture(null);
			});
		});
	}

	private CompletableFuture<Void> sendForeign(ForeignRecord foreign, boolean whole) {
		try {
			return this.kafkaTemplate.send(deadLetterOf(foreign, whole)).thenAccept((sent) -> {
				this.deadLettered.incrementAndGet();
				this.foreignDeadLettered.incrementAndGet();
			});
		}
		catch (RuntimeException ex) {
			// KafkaTemplate throws at once when the producer refuses the record (too
			// large, closed): the same failure as a refused write.
			return CompletableFuture.failedFuture(ex);
		}
	}

	private ProducerRecord<String, byte[]> deadLetterOf(ForeignRecord foreign, boolean whole) {
		String key = foreign.key();
		if (!whole && key != null && key.length() > MAX_TRIMMED_KEY_LENGTH) {
			key = null;
		}
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.topics.dlq(), null, key,
				whole ? foreign.value() : null);
		Headers headers = record.headers();
		if (whole) {
			for (Header header : foreign.headers()) {
				headers.add(header);
			}
		}
		else {
			GatewayHeaders.putString(headers, GatewayHeaders.VALUE_DROPPED,
					"record too large for the dead-letter topic");
		}
		putOrigin(headers, foreign.position().topic(), foreign.position().partition(), foreign.position().offset());
		GatewayHeaders.putLong(headers, GatewayHeaders.ATTEMPTS, 0);
		GatewayHeaders.putString(headers, GatewayHeaders.ERROR, "not a gateway event: " + foreign.reason());
		return record;
	}

	private CompletableFuture<RetryDecision> route(BufferedTask task, String reason) {
		Optional<Event> decoded = task.decodeEvent();
		if (decoded.isEmpty()) {
			return deadLetterUnreadable(task, "value is not an event", reason);
		}
		Event event = decoded.get();
		String problem = OrderableEvents.problem(event);
		if (problem != null) {
			return deadLetterUnreadable(task, problem, reason);
		}
		int attempts = event.getAttempt();
		// An attempt count from another producer, or one that overflowed, has no retry
		// level: dead-letter it rather than fail the hand-off forever.
		RetryDecision decision = (attempts < 1) ? RetryDecision.deadLetter() : this.policy.decide(attempts);
		String topic = decision.isDeadLetter() ? this.topics.dlq() : this.topics.retry(decision.level());
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.getCompanyId(),
				task.serializedEvent().toByteArray());
		Headers headers = record.headers();
		putOrdering(headers, task);
		putOrigin(headers, task.origin().topic(), task.origin().partition(), task.origin().offset());
		GatewayHeaders.putLong(headers, GatewayHeaders.ATTEMPTS, attempts);
		GatewayHeaders.putString(headers, GatewayHeaders.ERROR, reason);
		if (!event.getTraceParent().isEmpty()) {
			// The next attempt stays in the event's trace.
			GatewayHeaders.putString(headers, EventTracing.HEADER, event.getTraceParent());
		}
		if (!decision.isDeadLetter()) {
			GatewayHeaders.putLong(headers, GatewayHeaders.NOT_BEFORE,
					this.clock.millis() + decision.delay().toMillis());
		}
		return this.kafkaTemplate.send(record).thenApply((sent) -> {
			if (decision.isDeadLetter()) {
				this.deadLettered.incrementAndGet();
				try (LogContext context = LogContext.event(event.getEventId())
					.at(task.position().topic(), task.position().partition(), task.position().offset())) {
					logger.warn("Dead-lettered event " + event.getEventId() + " of company " + event.getCompanyId()
							+ " after " + attempts + " failed attempts: " + reason);
				}
			}
			else {
				this.retried.incrementAndGet();
			}
			return decision;
		});
	}

	/**
	 * A task whose ordering headers were good but whose value is not an event, or an
	 * event no worker can be given (see {@link OrderableEvents}): it failed at its
	 * worker, and will fail at every retry, so it goes to the dead-letter topic at once,
	 * its value as it was, with what its headers said. One too large for that topic goes
	 * without its value; one that does not fit even so is logged, counted as unwritable
	 * and given up, since no retry can ever write it and its partition must move on.
	 */
	private CompletableFuture<RetryDecision> deadLetterUnreadable(BufferedTask task, String problem, String reason) {
		String error = problem + " (ordering headers only); last failure: " + reason;
		return sendUnreadable(task, error, true).exceptionallyCompose((failure) -> {
			if (!tooLarge(failure)) {
				return CompletableFuture.failedFuture(failure);
			}
			return sendUnreadable(task, error, false).exceptionallyCompose((again) -> {
				if (!tooLarge(again)) {
					return CompletableFuture.failedFuture(again);
				}
				this.unreadableUnwritable.incrementAndGet();
				try (LogContext context = LogContext.event(task.eventId())
					.at(task.position().topic(), task.position().partition(), task.position().offset())) {
					logger.error("Event " + task.eventId() + " at " + task.position() + " (" + problem
							+ ") cannot be dead-lettered even without its value; giving it up: " + again.getMessage());
				}
				return CompletableFuture.completedFuture(RetryDecision.deadLetter());
			});
		});
	}

	private CompletableFuture<RetryDecision> sendUnreadable(BufferedTask task, String error, boolean whole) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.topics.dlq(), null, null,
				whole ? task.serializedEvent().toByteArray() : null);
		Headers headers = record.headers();
		putOrdering(headers, task);
		if (!whole) {
			GatewayHeaders.putString(headers, GatewayHeaders.VALUE_DROPPED,
					"record too large for the dead-letter topic");
		}
		putOrigin(headers, task.origin().topic(), task.origin().partition(), task.origin().offset());
		// Its attempts are not known: they are counted in the value.
		GatewayHeaders.putLong(headers, GatewayHeaders.ATTEMPTS, 0);
		GatewayHeaders.putString(headers, GatewayHeaders.ERROR, error);
		CompletableFuture<?> sent;
		try {
			sent = this.kafkaTemplate.send(record);
		}
		catch (RuntimeException ex) {
			// A producer refusing the record at once (too large, closed): the same as a
			// refused write, so that the smaller copy is tried.
			return CompletableFuture.failedFuture(ex);
		}
		return sent.thenApply((ignored) -> {
			this.deadLettered.incrementAndGet();
			try (LogContext context = LogContext.event(task.eventId())
				.at(task.position().topic(), task.position().partition(), task.position().offset())) {
				logger
					.warn("Dead-lettered event " + task.eventId() + (whole ? "" : " without its value") + ": " + error);
			}
			return RetryDecision.deadLetter();
		});
	}

	/**
	 * The ordering headers, so that the record is ordered when read again without
	 * decoding its value. A time outside what the header holds is left out, and the
	 * record is decoded instead.
	 */
	private static void putOrdering(Headers headers, BufferedTask task) {
		GatewayHeaders.putString(headers, GatewayHeaders.EVENT_ID, task.eventId());
		GatewayHeaders.putLong(headers, GatewayHeaders.PRIORITY, task.priority().level());
		GatewayHeaders.putEpochNanos(headers, GatewayHeaders.SLO_DEADLINE, task.deadline());
		GatewayHeaders.putEpochNanos(headers, GatewayHeaders.INGESTED_AT, task.ingestedAt());
	}

	/**
	 * Records of source topics that were not gateway events, dead-lettered since start.
	 */
	public long foreignDeadLetteredCount() {
		return this.foreignDeadLettered.get();
	}

	private static void putOrigin(Headers headers, String topic, int partition, long offset) {
		GatewayHeaders.putString(headers, GatewayHeaders.ORIGINAL_TOPIC, topic);
		GatewayHeaders.putLong(headers, GatewayHeaders.ORIGINAL_PARTITION, partition);
		GatewayHeaders.putLong(headers, GatewayHeaders.ORIGINAL_OFFSET, offset);
	}

	/** Foreign records too large to dead-letter even without their value, since start. */
	public long foreignUnwritableCount() {
		return this.foreignUnwritable.get();
	}

	/**
	 * Unreadable tasks (see {@link OrderableEvents}) too large to dead-letter even
	 * without their value, since start.
	 */
	public long unreadableUnwritableCount() {
		return this.unreadableUnwritable.get();
	}

	/**
	 * Records given up because they fit the dead-letter topic not even without their
	 * value (foreign records and unreadable tasks), since start.
	 */
	public long unwritableCount() {
		return this.foreignUnwritable.get() + this.unreadableUnwritable.get();
	}

	private static boolean tooLarge(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof RecordTooLargeException || cause instanceof RecordBatchTooLargeException) {
				return true;
			}
			if (cause.getCause() == cause) {
				return false;
			}
		}
		return false;
	}

	/** Events sent to a retry topic since start. */
	public long retriedCount() {
		return this.retried.get();
	}

	/** Events sent to the dead-letter topic since start. */
	public long deadLetteredCount() {
		return this.deadLettered.get();
	}

}
