package io.eventgateway.test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * Sends events to a test gateway's ingest over a real gRPC channel, with its API key, as
 * a producer would.
 */
final class IngestSender implements AutoCloseable {

	private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

	private final ManagedChannel channel;

	private final IngestServiceGrpc.IngestServiceBlockingStub stub;

	IngestSender(TestGateway gateway) {
		this(gateway.ingestGrpcTarget(), gateway.apiKey());
	}

	IngestSender(String target, String apiKey) {
		this.channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
		Metadata headers = new Metadata();
		if (apiKey != null) {
			headers.put(API_KEY, apiKey);
		}
		this.stub = IngestServiceGrpc.newBlockingStub(this.channel)
			.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
	}

	/** An event of the given id and type (the type decides its priority). */
	static IngestEvent event(String eventId, String eventType) {
		return IngestEvent.newBuilder()
			.setEventId(eventId)
			.setEventType(eventType)
			.setSource("gateway-test")
			.setPayload(ByteString.copyFromUtf8("{\"id\":\"" + eventId + "\"}"))
			.build();
	}

	/** Sends the events as one batch. */
	IngestEventsResponse send(List<IngestEvent> events) {
		return this.stub.withDeadlineAfter(30, TimeUnit.SECONDS)
			.ingestEvents(IngestEventsRequest.newBuilder().addAllEvents(events).build());
	}

	@Override
	public void close() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

}
