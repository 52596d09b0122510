package io.eventgateway.orchestrator.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.RenewLeaseRequest;
import io.eventgateway.proto.v1.RenewLeaseResponse;
import io.eventgateway.proto.v1.Task;

/**
 * The FetchTasks endpoint: validates the request, leases tasks, and translates the lease
 * to the wire. Waiting for tasks happens on the gRPC call's thread, bounded by the fetch
 * wait limit.
 */
public class EventsOrchestratorGrpcService extends EventsOrchestratorGrpc.EventsOrchestratorImplBase {

	private final TaskStateController controller;

	private final LeaseTable leases;

	private final FetchLimits limits;

	private final int replicaIndex;

	private final FetchObserver observer;

	public EventsOrchestratorGrpcService(TaskStateController controller, LeaseTable leases, FetchLimits limits,
			int replicaIndex, FetchObserver observer) {
		this.controller = controller;
		this.leases = leases;
		this.observer = observer;
		this.limits = limits;
		this.replicaIndex = replicaIndex;
	}

	@Override
	public void fetchTasks(FetchTasksRequest request, StreamObserver<FetchTasksResponse> responseObserver) {
		if (request.getMaxTasks() <= 0) {
			responseObserver.onError(
					Status.INVALID_ARGUMENT.withDescription("max_tasks: must be positive, was " + request.getMaxTasks())
						.asRuntimeException());
			return;
		}
		Duration requestedWait = ProtoTime.duration(request.getMaxWait());
		if (requestedWait.isNegative()) {
			responseObserver
				.onError(Status.INVALID_ARGUMENT.withDescription("max_wait: must not be negative, was " + requestedWait)
					.asRuntimeException());
			return;
		}
		int maxTasks = Math.min(request.getMaxTasks(), this.limits.maxTasks());
		Duration maxWait = (requestedWait.compareTo(this.limits.maxWait()) > 0) ? this.limits.maxWait() : requestedWait;
		long startNanos = System.nanoTime();
		try {
			Optional<Lease> lease = this.controller.fetch(maxTasks, this.limits.maxBytes(), maxWait);
			FetchTasksResponse response = lease.map(this::toResponse)
				.orElseGet(() -> FetchTasksResponse.newBuilder().setReplicaIndex(this.replicaIndex).build());
			this.observer.fetched(System.nanoTime() - startNanos, response.getTasksCount());
			responseObserver.onNext(response);
			responseObserver.onCompleted();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			responseObserver
				.onError(Status.UNAVAILABLE.withDescription("orchestrator is stopping").asRuntimeException());
		}
	}

	@Override
	public void renewLease(RenewLeaseRequest request, StreamObserver<RenewLeaseResponse> responseObserver) {
		if (request.getLeaseId().isEmpty()) {
			responseObserver
				.onError(Status.INVALID_ARGUMENT.withDescription("lease_id: is required").asRuntimeException());
			return;
		}
		Duration extension = ProtoTime.duration(request.getExtension());
		if (extension.isNegative() || extension.isZero()) {
			responseObserver
				.onError(Status.INVALID_ARGUMENT.withDescription("extension: must be positive, was " + extension)
					.asRuntimeException());
			return;
		}
		Duration capped = (extension.compareTo(this.limits.maxExtension()) > 0) ? this.limits.maxExtension()
				: extension;
		Optional<Instant> deadline = this.leases.renew(request.getLeaseId(), capped);
		if (deadline.isEmpty()) {
			responseObserver.onError(Status.NOT_FOUND
				.withDescription("lease " + request.getLeaseId() + " has ended; its tasks are served again")
				.asRuntimeException());
			return;
		}
		responseObserver
			.onNext(RenewLeaseResponse.newBuilder().setLeaseDeadline(ProtoTime.timestamp(deadline.get())).build());
		responseObserver.onCompleted();
	}

	private FetchTasksResponse toResponse(Lease lease) {
		FetchTasksResponse.Builder response = FetchTasksResponse.newBuilder()
			.setLeaseId(lease.id())
			.setLeaseDeadline(ProtoTime.timestamp(lease.deadline()))
			.setReplicaIndex(this.replicaIndex);
		for (BufferedTask task : lease.pendingTasks()) {
			response.addTasks(Task.newBuilder()
				.setSerializedEvent(task.serializedEvent())
				.setPosition(task.position().toProto()));
		}
		return response.build();
	}

	/** Told how long each FetchTasks call took and how many tasks it leased. */
	@FunctionalInterface
	public interface FetchObserver {

		/**
		 * @param nanos time to serve the call, including any wait for tasks
		 * @param tasks tasks leased (0 for an empty answer)
		 */
		void fetched(long nanos, int tasks);

	}

	/**
	 * Server-side caps on what one FetchTasks call may ask for.
	 *
	 * @param maxTasks the most tasks in one lease
	 * @param maxBytes the most bytes of tasks in one lease, so that the answer fits the
	 * worker's inbound message limit; a lease holds at least one task whatever its size
	 * @param maxWait the longest a call waits for tasks when the buffer is empty
	 * @param maxExtension the longest one renewal extends a lease
	 */
	public record FetchLimits(int maxTasks, long maxBytes, Duration maxWait, Duration maxExtension) {
	}

}
