package io.eventgateway.ingest.api.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishEventsResponse;
import io.eventgateway.proto.v1.PublishResult;

/**
 * A publisher peer on a loopback gRPC port that stores every event except those of type
 * {@value #UNSTORABLE_TYPE}, which it rejects: it gives ingest accepted, failed and
 * unavailable answers on demand, without a Kafka broker behind it.
 */
final class FakePublisher implements AutoCloseable {

	/**
	 * Events of this type are rejected, as a publisher that could not store them would.
	 */
	static final String UNSTORABLE_TYPE = "unstorable";

	private final Server server;

	private FakePublisher(Server server) {
		this.server = server;
	}

	static FakePublisher start() throws IOException {
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.addService(new Service())
			.build()
			.start();
		return new FakePublisher(server);
	}

	/** The address for ingest's {@code publisher} channel. */
	String address() {
		return "static://127.0.0.1:" + this.server.getPort();
	}

	@Override
	public void close() {
		this.server.shutdownNow();
	}

	private static final class Service extends PrepPublisherGrpc.PrepPublisherImplBase {

		@Override
		public void publishEvents(PublishEventsRequest request, StreamObserver<PublishEventsResponse> answer) {
			PublishEventsResponse.Builder response = PublishEventsResponse.newBuilder();
			for (Event event : request.getEventsList()) {
				response.addResults(result(event));
			}
			for (ByteString encoded : request.getEncodedEventsList()) {
				response.addResults(result(parse(encoded)));
			}
			answer.onNext(response.build());
			answer.onCompleted();
		}

		private static Event parse(ByteString encoded) {
			try {
				return Event.parseFrom(encoded);
			}
			catch (InvalidProtocolBufferException ex) {
				throw new IllegalArgumentException("not an Event", ex);
			}
		}

		private static PublishResult result(Event event) {
			PublishResult.Builder result = PublishResult.newBuilder().setEventId(event.getEventId());
			if (UNSTORABLE_TYPE.equals(event.getEventType())) {
				return result.setOutcome(PublishResult.Outcome.REJECTED).setError("no cluster took the event").build();
			}
			return result.setOutcome(PublishResult.Outcome.ACCEPTED)
				.setTopic("events." + event.getPriorityLevel().name().toLowerCase(java.util.Locale.ROOT))
				.setDestination(Destination.PRIMARY)
				.build();
		}

	}

}
