package io.eventgateway.worker.fetch;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
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
import io.eventgateway.worker.fleet.OrchestratorFleet;
import io.eventgateway.worker.fleet.OrchestratorTarget;

/**
 * An orchestrator on the in-process gRPC transport that serves the batches a test queues
 * and records what workers ask of it.
 *
 * <p>
 * Thread-safe: tests queue from their thread, gRPC calls arrive on server threads.
 */
final class FakeOrchestrator implements AutoCloseable {

	private final BlockingQueue<Object> batches = new LinkedBlockingQueue<>();

	private final List<RenewLeaseRequest> renewals = new CopyOnWriteArrayList<>();

	private final AtomicInteger fetches = new AtomicInteger();

	/** When each FetchTasks call arrived ({@link System#nanoTime()}), in order. */
	private final List<Long> fetchTimes = new CopyOnWriteArrayList<>();

	private volatile Status renewalFailure;

	private volatile CountDownLatch fetchGate;

	/** The first call, counting from 1, that the gate holds. */
	private volatile int gatedFrom = 1;

	private final Server server;

	private final ManagedChannel channel;

	FakeOrchestrator() throws Exception {
		String name = InProcessServerBuilder.generateName();
		this.server = InProcessServerBuilder.forName(name).addService(new Service()).build().start();
		this.channel = InProcessChannelBuilder.forName(name).build();
	}

	/** The next FetchTasks call answers this batch. */
	void serve(FetchTasksResponse batch) {
		this.batches.add(batch);
	}

	/** The next FetchTasks call fails with this status. */
	void fail(Status status) {
		this.batches.add(status);
	}

	/**
	 * FetchTasks calls wait, before looking for a batch, until the returned latch is
	 * counted down.
	 */
	CountDownLatch holdFetches() {
		return holdFetchesFrom(1);
	}

	/**
	 * FetchTasks calls from the {@code call}th on (counting from 1) wait, before looking
	 * for a batch, until the returned latch is counted down.
	 */
	CountDownLatch holdFetchesFrom(int call) {
		CountDownLatch gate = new CountDownLatch(1);
		this.gatedFrom = call;
		this.fetchGate = gate;
		return gate;
	}

	/** From now on every RenewLease call fails with this status. */
	void failRenewals(Status status) {
		this.renewalFailure = status;
	}

	List<RenewLeaseRequest> renewals() {
		return this.renewals;
	}

	int fetches() {
		return this.fetches.get();
	}

	/** When the FetchTasks call with this number (from 1) arrived, in nanoseconds. */
	long fetchTime(int number) {
		return this.fetchTimes.get(number - 1);
	}

	/**
	 * A fleet of this one orchestrator, resolved: whatever address it stands for, its
	 * channel is the in-process one.
	 */
	OrchestratorFleet fleet() {
		OrchestratorFleet fleet = new OrchestratorFleet(List.of(new OrchestratorTarget("orchestrator", 9082)),
				(host) -> List.of(InetAddress.getLoopbackAddress()), (address) -> this.channel);
		fleet.refresh();
		return fleet;
	}

	/**
	 * A fleet of two resolved replicas: {@code first} at the lower address, so that a
	 * loop's first turn goes to it, {@code second} at the higher one.
	 */
	static OrchestratorFleet fleet(FakeOrchestrator first, FakeOrchestrator second) throws Exception {
		InetAddress low = InetAddress.getByName("127.0.0.1");
		InetAddress high = InetAddress.getByName("127.0.0.2");
		OrchestratorFleet fleet = new OrchestratorFleet(List.of(new OrchestratorTarget("orchestrators", 9082)),
				(host) -> List.of(low, high),
				(address) -> address.getAddress().equals(low) ? first.channel : second.channel);
		fleet.refresh();
		return fleet;
	}

	@Override
	public void close() throws Exception {
		this.channel.shutdownNow();
		this.server.shutdownNow();
		this.server.awaitTermination(5, TimeUnit.SECONDS);
	}

	/**
	 * A batch of events of the given ids under one lease that ends {@code lease} from
	 * now.
	 */
	static FetchTasksResponse batch(String leaseId, Duration lease, String... eventIds) {
		FetchTasksResponse.Builder batch = FetchTasksResponse.newBuilder()
			.setLeaseId(leaseId)
			.setLeaseDeadline(ProtoTime.timestamp(Instant.now().plus(lease)))
			.setReplicaIndex(0);
		for (int i = 0; i < eventIds.length; i++) {
			batch.addTasks(Task.newBuilder()
				.setEvent(Event.newBuilder()
					.setEventId(eventIds[i])
					.setCompanyId("company-1")
					.setPriorityLevel(PriorityLevel.P20)
					.setIngestedAt(ProtoTime.timestamp(Instant.now()))
					.setSloDeadline(ProtoTime.timestamp(Instant.now().plusSeconds(60))))
				.setPosition(RecordPosition.newBuilder().setTopic("events.p20").setPartition(0).setOffset(i)));
		}
		return batch.build();
	}

	private final class Service extends EventsOrchestratorGrpc.EventsOrchestratorImplBase {

		@Override
		public void fetchTasks(FetchTasksRequest request, StreamObserver<FetchTasksResponse> responseObserver) {
			int number;
			// Together, so that the n-th time recorded is call n's.
			synchronized (FakeOrchestrator.this.fetchTimes) {
				FakeOrchestrator.this.fetchTimes.add(System.nanoTime());
				number = FakeOrchestrator.this.fetches.incrementAndGet();
			}
			Object next;
			try {
				CountDownLatch gate = FakeOrchestrator.this.fetchGate;
				if (gate != null && number >= FakeOrchestrator.this.gatedFrom) {
					gate.await(10, TimeUnit.SECONDS);
				}
				// Waits up to max_wait for a batch, as the real orchestrator does.
				next = FakeOrchestrator.this.batches.poll(ProtoTime.duration(request.getMaxWait()).toMillis(),
						TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				responseObserver.onError(Status.CANCELLED.asRuntimeException());
				return;
			}
			if (next instanceof Status status) {
				responseObserver.onError(status.asRuntimeException());
				return;
			}
			responseObserver
				.onNext((next != null) ? (FetchTasksResponse) next : FetchTasksResponse.getDefaultInstance());
			responseObserver.onCompleted();
		}

		@Override
		public void renewLease(RenewLeaseRequest request, StreamObserver<RenewLeaseResponse> responseObserver) {
			FakeOrchestrator.this.renewals.add(request);
			Status failure = FakeOrchestrator.this.renewalFailure;
			if (failure != null) {
				responseObserver.onError(failure.asRuntimeException());
				return;
			}
			responseObserver.onNext(RenewLeaseResponse.newBuilder()
				.setLeaseDeadline(ProtoTime.timestamp(Instant.now().plus(ProtoTime.duration(request.getExtension()))))
				.build());
			responseObserver.onCompleted();
		}

	}

}
