package io.eventgateway.worker.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.PriorityLevel;
import io.eventgateway.proto.v1.RecordPosition;
import io.eventgateway.proto.v1.RenewLeaseRequest;
import io.eventgateway.proto.v1.RenewLeaseResponse;
import io.eventgateway.proto.v1.Task;

/**
 * One orchestrator replica on a real socket, {@code 127.0.0.<index + 1>:port}, so that
 * several replicas share one port behind one name as a headless service's pods do. Every
 * fetch gets a lease of one event whose id names the lease, issued under this replica's
 * index; every RenewLease call is recorded.
 *
 * <p>
 * Thread-safe: gRPC calls arrive on server threads, tests read from theirs.
 */
public final class FakeReplica implements AutoCloseable {

	/** How long a lease lasts; the worker renews it every third of that. */
	static final Duration LEASE = Duration.ofMillis(900);

	private final int index;

	private final Server server;

	private final AtomicInteger fetches = new AtomicInteger();

	private final AtomicInteger leases = new AtomicInteger();

	private final List<String> renewedLeases = new CopyOnWriteArrayList<>();

	/**
	 * Starts the replica on {@code 127.0.0.<index + 1>:port}.
	 * @param index the replica's index
	 * @param port its port
	 * @throws IOException when the port is taken
	 */
	public FakeReplica(int index, int port) throws IOException {
		this.index = index;
		HealthStatusManager health = new HealthStatusManager();
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress(address(index), port))
			.addService(new Service())
			.addService(health.getHealthService())
			.build()
			.start();
	}

	/** The loopback address of replica {@code index}. */
	static InetAddress address(int index) {
		try {
			return InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) (index + 1) });
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The replica a lease id was issued by. */
	static int issuer(String leaseId) {
		return Integer.parseInt(leaseId.substring(1, leaseId.indexOf('-')));
	}

	int index() {
		return this.index;
	}

	/** How many FetchTasks calls this replica answered. */
	public int fetches() {
		return this.fetches.get();
	}

	/** The lease ids of every RenewLease call this replica received. */
	List<String> renewedLeases() {
		return this.renewedLeases;
	}

	@Override
	public void close() throws InterruptedException {
		this.server.shutdownNow();
		this.server.awaitTermination(5, TimeUnit.SECONDS);
	}

	private final class Service extends EventsOrchestratorGrpc.EventsOrchestratorImplBase {

		@Override
		public void fetchTasks(FetchTasksRequest request, StreamObserver<FetchTasksResponse> responseObserver) {
			FakeReplica.this.fetches.incrementAndGet();
			String leaseId = "r" + FakeReplica.this.index + "-lease-" + FakeReplica.this.leases.incrementAndGet();
			Event event = Event.newBuilder()
				.setEventId(leaseId + "-event")
				.setCompanyId("company-1")
				.setPriorityLevel(PriorityLevel.P20)
				.setIngestedAt(ProtoTime.timestamp(Instant.now()))
				.setSloDeadline(ProtoTime.timestamp(Instant.now().plusSeconds(60)))
				.build();
			responseObserver.onNext(FetchTasksResponse.newBuilder()
				.setLeaseId(leaseId)
				.setReplicaIndex(FakeReplica.this.index)
				.setLeaseDeadline(ProtoTime.timestamp(Instant.now().plus(LEASE)))
				.addTasks(Task.newBuilder()
					.setEvent(event)
					.setPosition(RecordPosition.newBuilder().setTopic("events.p20").setOffset(0)))
				.build());
			responseObserver.onCompleted();
		}

		@Override
		public void renewLease(RenewLeaseRequest request, StreamObserver<RenewLeaseResponse> responseObserver) {
			FakeReplica.this.renewedLeases.add(request.getLeaseId());
			responseObserver.onNext(RenewLeaseResponse.newBuilder()
				.setLeaseDeadline(ProtoTime.timestamp(Instant.now().plus(LEASE)))
				.build());
			responseObserver.onCompleted();
		}

	}

}
