package io.eventgateway.orchestrator.retry;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
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
			// large): the caller keeps the task and serves it again.
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public CompletableFuture<Void> deadLetter(ForeignRecord foreign) {
		try {
			return sendForeign(foreign, true).exceptionallyCompose((failure) -> {
				if (unwrap(failure) instanceof RecordTooLargeException) {
					// Its own size or headers are the problem: keep the evidence that
					// fits.
					return sendForeign(foreign, false);
				}
				return CompletableFuture.failedFuture(failure);
			});
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletableFuture<Void> sendForeign(ForeignRecord foreign, boolean whole) {
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.topics.dlq(), null, foreign.key(),
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
		return this.kafkaTemplate.send(record).thenAccept((sent) -> {
			this.deadLettered.incrementAndGet();
			this.foreignDeadLettered.incrementAndGet();
		});
	}

	private CompletableFuture<RetryDecision> route(BufferedTask task, String reason) {
		Event event = task.event();
		int attempts = event.getAttempt();
		// An attempt count from another producer, or one that overflowed, has no retry
		// level: dead-letter it rather than fail the hand-off forever.
		RetryDecision decision = (attempts < 1) ? RetryDecision.deadLetter() : this.policy.decide(attempts);
		String topic = decision.isDeadLetter() ? this.topics.dlq() : this.topics.retry(decision.level());
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.getCompanyId(),
				task.serializedEvent().toByteArray());
		Headers headers = record.headers();
		putOrigin(headers, task.origin().topic(), task.origin().partition(), task.origin().offset());
		GatewayHeaders.putLong(headers, GatewayHeaders.ATTEMPTS, attempts);
		GatewayHeaders.putString(headers, GatewayHeaders.ERROR, reason);
		if (!decision.isDeadLetter()) {
			GatewayHeaders.putLong(headers, GatewayHeaders.NOT_BEFORE,
					this.clock.millis() + decision.delay().toMillis());
		}
		return this.kafkaTemplate.send(record).thenApply((sent) -> {
			if (decision.isDeadLetter()) {
				this.deadLettered.incrementAndGet();
				logger.warn("Dead-lettered event " + event.getEventId() + " of company " + event.getCompanyId()
						+ " after " + attempts + " failed attempts: " + reason);
			}
			else {
				this.retried.incrementAndGet();
			}
			return decision;
		});
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

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof java.util.concurrent.CompletionException
				|| cause instanceof org.springframework.kafka.KafkaException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
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
