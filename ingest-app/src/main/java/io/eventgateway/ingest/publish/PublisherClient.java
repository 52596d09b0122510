package io.eventgateway.ingest.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc.PrepPublisherBlockingStub;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishResult;

/**
 * Hands stamped events to the publisher over gRPC, in requests small enough for the gRPC
 * message limit, and reports one result per event.
 *
 * <p>
 * Thread-safe.
 */
public class PublisherClient {

	private final PrepPublisherBlockingStub publisher;

	private final Duration timeout;

	private final int maxRequestBytes;

	/**
	 * @param publisher the publisher stub
	 * @param timeout how long one publish call may take
	 * @param maxRequestBytes the most serialized event bytes in one request
	 */
	public PublisherClient(PrepPublisherBlockingStub publisher, Duration timeout, int maxRequestBytes) {
		this.publisher = publisher;
		this.timeout = timeout;
		this.maxRequestBytes = maxRequestBytes;
	}

	/**
	 * Publishes the events and returns their results in order. A failed call rejects the
	 * events it carried, with the gRPC status as the error; it never throws.
	 */
	public List<PublishResult> publish(List<Event> events) {
		List<PublishResult> results = new ArrayList<>(events.size());
		PublishEventsRequest.Builder request = PublishEventsRequest.newBuilder();
		int requestBytes = 0;
		for (Event event : events) {
			int size = event.getSerializedSize();
			if (request.getEventsCount() > 0 && requestBytes + size > this.maxRequestBytes) {
				results.addAll(call(request.build()));
				request = PublishEventsRequest.newBuilder();
				requestBytes = 0;
			}
			request.addEvents(event);
			requestBytes += size;
		}
		if (request.getEventsCount() > 0) {
			results.addAll(call(request.build()));
		}
		return results;
	}

	private List<PublishResult> call(PublishEventsRequest request) {
		try {
			List<PublishResult> results = this.publisher
				.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.publishEvents(request)
				.getResultsList();
			if (results.size() != request.getEventsCount()) {
				return rejectAll(request, "publisher answered " + results.size() + " results for "
						+ request.getEventsCount() + " events");
			}
			return results;
		}
		catch (StatusRuntimeException ex) {
			return rejectAll(request, "publisher unavailable: " + ex.getStatus().getCode()
					+ ((ex.getStatus().getDescription() != null) ? " " + ex.getStatus().getDescription() : ""));
		}
	}

	private static List<PublishResult> rejectAll(PublishEventsRequest request, String error) {
		return request.getEventsList()
			.stream()
			.map((event) -> PublishResult.newBuilder()
				.setEventId(event.getEventId())
				.setOutcome(PublishResult.Outcome.REJECTED)
				.setError(error)
				.build())
			.toList();
	}

}
