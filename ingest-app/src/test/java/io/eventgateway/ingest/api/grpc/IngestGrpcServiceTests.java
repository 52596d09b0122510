package io.eventgateway.ingest.api.grpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.ingest.auth.ApiKeys;
import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.pipeline.TestPipelines;
import io.eventgateway.ingest.publish.HoldingPublisher;
import io.eventgateway.ingest.publish.InFlightEvents;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.proto.v1.IngestServiceGrpc;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The gRPC ingest service on a loopback server with one call thread, in front of a
 * publisher peer that holds the slow lanes: a call whose events wait for the publisher
 * must not keep that one thread from serving the next call.
 */
class IngestGrpcServiceTests {

	private final HoldingPublisher publisher = startPublisher();

	private final ExecutorService callThread = Executors.newSingleThreadExecutor();

	private final InFlightEvents inFlight = new InFlightEvents(2);

	private final Server server = startServer();

	private final ManagedChannel channel = NettyChannelBuilder
		.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), this.server.getPort())
		.usePlaintext()
		.build();

	private final IngestServiceGrpc.IngestServiceFutureStub ingest = IngestServiceGrpc.newFutureStub(this.channel);

	@AfterEach
	void stop() {
		this.channel.shutdownNow();
		this.server.shutdownNow();
		this.publisher.close();
		this.callThread.shutdownNow();
	}

	@Test
	void aCallWaitingForThePublisherLeavesTheCallThreadToTheNextCall() throws Exception {
		this.publisher.holdSlowLanes();
		ListenableFuture<IngestEventsResponse> bulk = this.ingest.withDeadlineAfter(30, TimeUnit.SECONDS)
			.ingestEvents(request("report.built"));
		await().until(() -> this.publisher.calls().size() == 1);

		IngestEventsResponse urgent = this.ingest.withDeadlineAfter(30, TimeUnit.SECONDS)
			.ingestEvents(request("trigger.fired"))
			.get(30, TimeUnit.SECONDS);

		assertThat(urgent.getResultsList()).extracting(IngestResult::getPriority).containsExactly(PriorityLevel.P30);
		assertThat(bulk).isNotDone();
		this.publisher.releaseHeld();
		assertThat(bulk.get(30, TimeUnit.SECONDS).getResultsList()).extracting(IngestResult::getStatus)
			.containsExactly(IngestResult.Status.ACCEPTED);
	}

	@Test
	void aCallOverTheEventsInFlightIsRefusedUnavailableBeforeAnythingIsPublished() throws Exception {
		this.publisher.holdSlowLanes();
		ListenableFuture<IngestEventsResponse> first = this.ingest.withDeadlineAfter(30, TimeUnit.SECONDS)
			.ingestEvents(request("report.built"));
		ListenableFuture<IngestEventsResponse> second = this.ingest.withDeadlineAfter(30, TimeUnit.SECONDS)
			.ingestEvents(request("report.built"));
		await().until(() -> this.publisher.calls().size() == 2);

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> IngestServiceGrpc.newBlockingStub(this.channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.ingestEvents(request("trigger.fired")))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(ex.getStatus().getDescription()).contains("gateway.ingest.publisher.max-in-flight-events");
			});

		assertThat(this.publisher.calls()).hasSize(2);
		this.publisher.releaseHeld();
		assertThat(first.get(30, TimeUnit.SECONDS).getResultsCount()).isEqualTo(1);
		assertThat(second.get(30, TimeUnit.SECONDS).getResultsCount()).isEqualTo(1);
		await().until(() -> this.inFlight.inFlight() == 0);
	}

	private static IngestEventsRequest request(String type) {
		return IngestEventsRequest.newBuilder()
			.addEvents(IngestEvent.newBuilder()
				.setCompanyId("c1")
				.setEventType(type)
				.setSource("shop")
				.setPayload(ByteString.copyFromUtf8("{}")))
			.build();
	}

	private Server startServer() {
		ApiKeys openIngest = new ApiKeys(Map.of());
		IngestGrpcService service = new IngestGrpcService(
				TestPipelines.publishingTo(this.publisher.client(Duration.ofSeconds(30), 1024 * 1024, this.inFlight)),
				new BatchLimits(100), openIngest);
		try {
			return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
				.executor(this.callThread)
				.addService(ServerInterceptors.intercept(service, new ApiKeyInterceptor(openIngest)))
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HoldingPublisher startPublisher() {
		try {
			return HoldingPublisher.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
