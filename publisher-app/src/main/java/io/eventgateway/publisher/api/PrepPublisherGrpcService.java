package io.eventgateway.publisher.api;

import io.grpc.stub.StreamObserver;

import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishEventsResponse;
import io.eventgateway.publisher.publish.EventPublisher;

/**
 * The PublishEvents endpoint. Answers asynchronously, once Kafka has acknowledged or
 * failed every event, so no gRPC thread waits on the producer; the answer is sent from
 * the producers' completion executor, never from a producer's network thread.
 */
public class PrepPublisherGrpcService extends PrepPublisherGrpc.PrepPublisherImplBase {

	private final EventPublisher publisher;

	public PrepPublisherGrpcService(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void publishEvents(PublishEventsRequest request, StreamObserver<PublishEventsResponse> responseObserver) {
		this.publisher.publish(request.getEventsList(), request.getEncodedEventsList())
			.whenComplete((results, failure) -> {
				if (failure != null) {
					responseObserver.onError(failure);
					return;
				}
				responseObserver.onNext(PublishEventsResponse.newBuilder().addAllResults(results).build());
				responseObserver.onCompleted();
			});
	}

}
