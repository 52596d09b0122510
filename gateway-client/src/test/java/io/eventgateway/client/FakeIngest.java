package io.eventgateway.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.proto.v1.IngestServiceGrpc;
import io.eventgateway.proto.v1.PriorityLevel;

/**
 * A stand-in for ingest on a loopback port, for the client's own rules (what it resends,
 * when, on which thread it answers): each call is answered by a function of its request,
 * which returns a response or throws a {@link StatusRuntimeException}. Every request is
 * recorded. The real ingest is {@link GatewayClientIT}'s.
 */
final class FakeIngest implements AutoCloseable {

	private final List<IngestEventsRequest> requests = new CopyOnWriteArrayList<>();

	private final Server server;

	FakeIngest(Function<IngestEventsRequest, IngestEventsResponse> answer) {
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.addService(new IngestServiceGrpc.IngestServiceImplBase() {

				@Override
				public void ingestEvents(IngestEventsRequest request,
						StreamObserver<IngestEventsResponse> responseObserver) {
					FakeIngest.this.requests.add(request);
					IngestEventsResponse response;
					try {
						response = answer.apply(request);
					}
					catch (StatusRuntimeException ex) {
						responseObserver.onError(ex);
						return;
					}
					if (response != null) {
						responseObserver.onNext(response);
						responseObserver.onCompleted();
					}
					// null: the call is left unanswered, until the client's deadline.
				}

			})
			.build();
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Accepts every event of a request. */
	static IngestEventsResponse acceptAll(IngestEventsRequest request) {
		IngestEventsResponse.Builder response = IngestEventsResponse.newBuilder();
		for (int i = 0; i < request.getEventsCount(); i++) {
			response.addResults(IngestResult.newBuilder()
				.setIndex(i)
				.setEventId(request.getEvents(i).getEventId())
				.setStatus(IngestResult.Status.ACCEPTED)
				.setPriority(PriorityLevel.P20));
		}
		return response.build();
	}

	GatewayClient.Builder client() {
		return GatewayClient.builder().target("127.0.0.1:" + this.server.getPort()).usePlaintext();
	}

	/** The event ids of every call, in the order the calls came. */
	List<List<String>> calls() {
		return this.requests.stream()
			.map((request) -> request.getEventsList().stream().map(IngestEvent::getEventId).toList())
			.toList();
	}

	@Override
	public void close() throws InterruptedException {
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

}
