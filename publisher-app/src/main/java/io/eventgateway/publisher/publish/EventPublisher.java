package io.eventgateway.publisher.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.trace.EventSpan;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.proto.v1.PublishResult.Outcome;
import io.eventgateway.publisher.failure.FailureCapture;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.RolloutProducers;
import io.eventgateway.publisher.route.RolloutRouter;
import io.eventgateway.publisher.route.RolloutRouter.Cluster;

/**
 * Writes events to the topic of their lane (priority, or offload), on the cluster the
 * rollout router picks for their company, and reports per event whether Kafka
 * acknowledged the write.
 *
 * <p>
 * Thread-safe: called concurrently from gRPC threads; the producers batch their records.
 */
public class EventPublisher {

	private final ClusterProducers primary;

	private final RolloutProducers rollout;

	private final RolloutRouter router;

	private final TopicLayout topics;

	private final PublishMetrics metrics;

	private final FailureCapture failures;

	private final EventCheck check;

	private final EventTracing tracing;

	/**
	 * @param primary the primary cluster's producers
	 * @param rollout the rollout cluster's producers, or {@code null} when no rollout is
	 * configured
	 * @param router picks the cluster per company
	 * @param topics the topic layout
	 * @param metrics the publisher's meters
	 * @param failures where events go that their cluster refused
	 * @param check what every event must meet before it is written
	 */
	public EventPublisher(ClusterProducers primary, RolloutProducers rollout, RolloutRouter router, TopicLayout topics,
			PublishMetrics metrics, FailureCapture failures, EventCheck check) {
		this(primary, rollout, router, topics, metrics, failures, check, EventTracing.OFF);
	}

	/**
	 * @param primary the primary cluster's producers
	 * @param rollout the rollout cluster's producers, or {@code null} when no rollout is
	 * configured
	 * @param router picks the cluster per company
	 * @param topics the topic layout
	 * @param metrics the publisher's meters
	 * @param failures where events go that their cluster refused
	 * @param check what every event must meet before it is written
	 * @param tracing spans each write in the trace its event carries
	 */
	public EventPublisher(ClusterProducers primary, RolloutProducers rollout, RolloutRouter router, TopicLayout topics,
			PublishMetrics metrics, FailureCapture failures, EventCheck check, EventTracing tracing) {
		this.tracing = tracing;
		this.failures = failures;
		this.check = check;
		this.primary = primary;
		this.rollout = rollout;
		this.router = router;
		this.topics = topics;
		this.metrics = metrics;
	}

	/**
	 * Sends every event and completes, never exceptionally, once each one is acknowledged
	 * or has failed. The results are in the order of the events. An event that fails the
	 * {@link EventCheck} is rejected alone, its error naming the field; the others of the
	 * call are still sent.
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
		String problem = this.check.problemOf(event);
		if (problem != null) {
			this.metrics.rejected("none");
			return CompletableFuture.completedFuture(rejected(event, problem));
		}
		Priority priority = Priority.fromProto(event.getPriorityLevel());
		ClusterProducers rolloutProducers = this.rollout.current();
		Cluster cluster = (rolloutProducers != null) ? this.router.route(event.getCompanyId()) : Cluster.PRIMARY;
		ClusterProducers producers = (cluster == Cluster.ROLLOUT) ? rolloutProducers : this.primary;
		Lane lane = Lane.of(event);
		String topic = lane.topic(this.topics);
		long startNanos = System.nanoTime();
		EventSpan span = this.tracing.start("gateway.publisher.send", event.getTraceParent());
		CompletableFuture<?> sent;
		try {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.getCompanyId(),
					event.toByteArray());
			if (span != EventSpan.NONE) {
				// Readers that do not decode the event (or a Kafka tracing agent) follow
				// the
				// trace from here.
				span.tag("messaging.destination.name", topic);
				record.headers().add(EventTracing.HEADER, span.traceParent().getBytes(StandardCharsets.US_ASCII));
			}
			sent = producers.forLane(lane).send(record);
		}
		catch (RuntimeException ex) {
			// send() itself throws when the producer cannot take the record (no metadata
			// in time,
			// closed, too large): the same failure chain applies.
			sent = CompletableFuture.failedFuture(ex);
		}
		return sent.handle((result, failure) -> {
			if (failure == null) {
				span.end();
			}
			else {
				span.fail(failure);
			}
			if (failure == null) {
				this.metrics.accepted(priority, cluster, System.nanoTime() - startNanos);
				return CompletableFuture.completedFuture(PublishResult.newBuilder()
					.setEventId(event.getEventId())
					.setOutcome(Outcome.ACCEPTED)
					.setTopic(topic)
					.setDestination((cluster == Cluster.ROLLOUT) ? Destination.ROLLOUT : Destination.PRIMARY)
					.build());
			}
			this.metrics.failed(priority, cluster, failure);
			return this.failures.capture(event, topic, failure)
				.thenApply((capture) -> capture.isStored()
						? PublishResult.newBuilder()
							.setEventId(event.getEventId())
							.setOutcome(Outcome.ACCEPTED)
							.setTopic(capture.location())
							.setDestination(capture.destination())
							.build()
						: rejected(event,
								"write to " + topic + " failed (" + rootMessage(failure) + ") and " + capture.error()));
		}).thenCompose((next) -> next);
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
