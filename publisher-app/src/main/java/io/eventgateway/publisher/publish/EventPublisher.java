package io.eventgateway.publisher.publish;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

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
import io.eventgateway.publisher.produce.Delay;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.OrderingHeaders;
import io.eventgateway.publisher.produce.RolloutProducers;
import io.eventgateway.publisher.route.RolloutRouter;
import io.eventgateway.publisher.route.RolloutRouter.Cluster;

/**
 * Writes events to the topic of their lane (priority, or offload), on the cluster the
 * rollout router picks for their company, and reports per event whether Kafka
 * acknowledged the write. Every record carries the event's ordering headers
 * ({@link OrderingHeaders}). An event not due yet ({@code not_before} after now) is
 * written through the same lane to a delay topic instead, with the delay headers that
 * bring it to its lane's topic when due ({@link DelayRouting}).
 *
 * <p>
 * Thread-safe: called concurrently from gRPC threads, which only check and hand records
 * to the producers; what follows an acknowledgement runs on the producers' completion
 * executor.
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

	private final DelayRouting delays;

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
		this(primary, rollout, router, topics, metrics, failures, check, tracing,
				new DelayRouting(topics, Clock.systemUTC()));
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
	 * @param delays which events wait on a delay topic, and on which
	 */
	public EventPublisher(ClusterProducers primary, RolloutProducers rollout, RolloutRouter router, TopicLayout topics,
			PublishMetrics metrics, FailureCapture failures, EventCheck check, EventTracing tracing,
			DelayRouting delays) {
		this.delays = delays;
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
		return publish(events, List.of());
	}

	/**
	 * Sends every event, decoded ones and encoded ones, and completes, never
	 * exceptionally, once each one is acknowledged or has failed. The results are in the
	 * order of {@code events}, then of {@code encodedEvents}. An encoded event is written
	 * to Kafka as the bytes it came in, after the same {@link EventCheck}; one that is
	 * not an {@code Event} is rejected alone, its error naming its index.
	 * @param events events to encode and send
	 * @param encodedEvents serialized events to send as they are
	 */
	public CompletableFuture<List<PublishResult>> publish(List<Event> events, List<ByteString> encodedEvents) {
		List<CompletableFuture<PublishResult>> results = new ArrayList<>(events.size() + encodedEvents.size());
		for (Event event : events) {
			results.add(publishChecked(event, null));
		}
		for (int i = 0; i < encodedEvents.size(); i++) {
			ByteString encoded = encodedEvents.get(i);
			Event event;
			try {
				event = Event.parseFrom(encoded);
			}
			catch (InvalidProtocolBufferException ex) {
				this.metrics.rejected("none");
				results.add(CompletableFuture.completedFuture(rejected("", EventCheck.INVALID_ARGUMENT
						+ "encoded_events[" + i + "] is not an Event (" + ex.getMessage() + ")")));
				continue;
			}
			results.add(publishChecked(event, encoded));
		}
		return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
			.thenApply((done) -> results.stream().map(CompletableFuture::join).toList());
	}

	/**
	 * @param encoded the event as it came in, written as is; {@code null} to encode it
	 */
	private CompletableFuture<PublishResult> publishChecked(Event event, @Nullable ByteString encoded) {
		String problem = this.check.problemOf(event);
		if (problem != null) {
			this.metrics.rejected("none");
			return CompletableFuture.completedFuture(rejected(event.getEventId(), problem));
		}
		return publishOne(event, (encoded != null) ? encoded.toByteArray() : event.toByteArray());
	}

	private CompletableFuture<PublishResult> publishOne(Event event, byte[] value) {
		Priority priority = Priority.fromProto(event.getPriorityLevel());
		ClusterProducers rolloutProducers = this.rollout.current();
		Cluster cluster = (rolloutProducers != null) ? this.router.route(event.getCompanyId()) : Cluster.PRIMARY;
		ClusterProducers producers = (cluster == Cluster.ROLLOUT) ? rolloutProducers : this.primary;
		Lane lane = Lane.of(event);
		// Not due yet: through the same lane (its producer, its batching) to a delay
		// topic.
		Delay delay = this.delays.delayOf(event, lane);
		String topic = (delay != null) ? delay.topic() : lane.topic(this.topics);
		long startNanos = System.nanoTime();
		EventSpan span = this.tracing.start("gateway.publisher.send", event.getTraceParent());
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.getCompanyId(), value);
		OrderingHeaders.add(record.headers(), event);
		if (delay != null) {
			delay.addHeaders(record.headers());
		}
		if (span != EventSpan.NONE) {
			// Readers that do not decode the event (or a Kafka tracing agent) follow the
			// trace from here.
			span.tag("messaging.destination.name", topic);
			record.headers().add(EventTracing.HEADER, span.traceParent().getBytes(StandardCharsets.US_ASCII));
		}
		// Completes on the completion executor: what follows never runs on the
		// producer's network thread. A record the producer refuses at once (no metadata
		// in time, closed, too large) fails it the same way, into the failure chain.
		CompletableFuture<?> sent = producers.forLane(lane).send(record);
		return sent.handle((result, failure) -> {
			if (failure == null) {
				span.end();
			}
			else {
				span.fail(failure);
			}
			if (failure == null) {
				this.metrics.accepted(priority, cluster, System.nanoTime() - startNanos);
				if (delay != null) {
					this.metrics.delayed(delay.tier());
				}
				return CompletableFuture.completedFuture(PublishResult.newBuilder()
					.setEventId(event.getEventId())
					.setOutcome(Outcome.ACCEPTED)
					.setTopic(topic)
					.setDestination((cluster == Cluster.ROLLOUT) ? Destination.ROLLOUT : Destination.PRIMARY)
					.build());
			}
			this.metrics.failed(priority, cluster, failure);
			// A delay record's failed write is meant for its delay topic, and keeps its
			// delay headers on the way back.
			return this.failures.capture(event, value, topic, delay, failure)
				.thenApply((capture) -> capture.isStored()
						? PublishResult.newBuilder()
							.setEventId(event.getEventId())
							.setOutcome(Outcome.ACCEPTED)
							.setTopic(capture.location())
							.setDestination(capture.destination())
							.build()
						: rejected(event.getEventId(),
								"write to " + topic + " failed (" + rootMessage(failure) + ") and " + capture.error()));
		}).thenCompose((next) -> next);
	}

	private static PublishResult rejected(String eventId, String error) {
		return PublishResult.newBuilder().setEventId(eventId).setOutcome(Outcome.REJECTED).setError(error).build();
	}

	private static String rootMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.getClass().getSimpleName() + ": " + cause.getMessage();
	}

}
