package io.eventgateway.orchestrator.retry;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.proto.v1.Event;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends failed tasks to their next retry topic, due after the level's delay, or to the
 * dead-letter topic after the last level, with headers saying where the event was first
 * read, how often it failed and why.
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

	public FailureRouter(KafkaTemplate<String, byte[]> kafkaTemplate, TopicLayout topics, RetryPolicy policy,
			Clock clock) {
		this.kafkaTemplate = kafkaTemplate;
		this.topics = topics;
		this.policy = policy;
		this.clock = clock;
	}

	@Override
	public CompletableFuture<RetryDecision> send(BufferedTask task, String reason) {
		Event event = task.event();
		int attempts = event.getAttempt();
		RetryDecision decision = this.policy.decide(attempts);
		String topic = decision.isDeadLetter() ? this.topics.dlq() : this.topics.retry(decision.level());
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.getCompanyId(),
				task.serializedEvent().toByteArray());
		Headers headers = record.headers();
		GatewayHeaders.putString(headers, GatewayHeaders.ORIGINAL_TOPIC, task.origin().topic());
		GatewayHeaders.putLong(headers, GatewayHeaders.ORIGINAL_PARTITION, task.origin().partition());
		GatewayHeaders.putLong(headers, GatewayHeaders.ORIGINAL_OFFSET, task.origin().offset());
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

	/** Events sent to a retry topic since start. */
	public long retriedCount() {
		return this.retried.get();
	}

	/** Events sent to the dead-letter topic since start. */
	public long deadLetteredCount() {
		return this.deadLettered.get();
	}

}
