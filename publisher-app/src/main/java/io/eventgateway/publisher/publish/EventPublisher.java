package io.eventgateway.publisher.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.proto.v1.PublishResult.Outcome;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes events to the topic of their priority and reports, per event, whether Kafka
 * acknowledged the write.
 *
 * <p>
 * Thread-safe: called concurrently from gRPC threads; the producer batches their records.
 */
public class EventPublisher {

	private final KafkaTemplate<String, byte[]> kafkaTemplate;

	private final TopicLayout topics;

	private final PublishMetrics metrics;

	public EventPublisher(KafkaTemplate<String, byte[]> kafkaTemplate, TopicLayout topics, PublishMetrics metrics) {
		this.kafkaTemplate = kafkaTemplate;
		this.topics = topics;
		this.metrics = metrics;
	}

	/**
	 * Sends every event and completes, never exceptionally, once each one is acknowledged
	 * or has failed. The results are in the order of the events.
	 */
	public CompletableFuture<List<PublishResult>> publish(List<Event> events) {
		List<CompletableFuture<PublishResult>> results = new ArrayList<>(events.size());
		for (Event event : events) {
			results.add(publishOne(event));
		}
		return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
			.thenApply((done) -> results.stream().map(CompletableFuture::join).toList());
	}

	private CompletableFuture<PublishResult> publishOne(Event event) {
		String problem = EventCheck.problemOf(event);
		if (problem != null) {
			this.metrics.rejected("none");
			return CompletableFuture.completedFuture(rejected(event, problem));
		}
		Priority priority = Priority.fromProto(event.getPriorityLevel());
		String topic = this.topics.priority(priority);
		long startNanos = System.nanoTime();
		try {
			return this.kafkaTemplate.send(new ProducerRecord<>(topic, event.getCompanyId(), event.toByteArray()))
				.handle((sent, failure) -> {
					if (failure != null) {
						this.metrics.failed(priority, failure);
						return rejected(event, "write to " + topic + " failed: " + rootMessage(failure));
					}
					this.metrics.accepted(priority, System.nanoTime() - startNanos);
					return PublishResult.newBuilder()
						.setEventId(event.getEventId())
						.setOutcome(Outcome.ACCEPTED)
						.setTopic(topic)
						.build();
				});
		}
		catch (RuntimeException ex) {
			// send() itself throws when the producer cannot take the record (closed, too
			// large).
			this.metrics.failed(priority, ex);
			return CompletableFuture
				.completedFuture(rejected(event, "write to " + topic + " failed: " + rootMessage(ex)));
		}
	}

	private static PublishResult rejected(Event event, String error) {
		return PublishResult.newBuilder()
			.setEventId(event.getEventId())
			.setOutcome(Outcome.REJECTED)
			.setError(error)
			.build();
	}

	private static String rootMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

}
