package io.eventgateway.orchestrator.api;

import java.time.Duration;
import java.util.Optional;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.Task;

/**
 * The FetchTasks endpoint: validates the request, leases tasks, and translates the lease
 * to the wire. Waiting for tasks happens on the gRPC call's thread, bounded by the fetch
 * wait limit.
 */
public class EventsOrchestratorGrpcService extends EventsOrchestratorGrpc.EventsOrchestratorImplBase {

	private final TaskStateController controller;

	private final FetchLimits limits;

	private final int replicaIndex;

	public EventsOrchestratorGrpcService(TaskStateController controller, FetchLimits limits, int replicaIndex) {
		this.controller = controller;
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
		try {
			Optional<Lease> lease = this.controller.fetch(maxTasks, maxWait);
			responseObserver.onNext(lease.map(this::toResponse)
				.orElseGet(() -> FetchTasksResponse.newBuilder().setReplicaIndex(this.replicaIndex).build()));
			responseObserver.onCompleted();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			responseObserver
				.onError(Status.UNAVAILABLE.withDescription("orchestrator is stopping").asRuntimeException());
		}
	}

	private FetchTasksResponse toResponse(Lease lease) {
		FetchTasksResponse.Builder response = FetchTasksResponse.newBuilder()
			.setLeaseId(lease.id())
			.setLeaseDeadline(ProtoTime.timestamp(lease.deadline()))
			.setReplicaIndex(this.replicaIndex);
		for (BufferedTask task : lease.pendingTasks()) {
			response.addTasks(Task.newBuilder().setEvent(task.event()).setPosition(task.position().toProto()));
		}
		return response.build();
	}

	/**
	 * Server-side caps on what one FetchTasks call may ask for.
	 *
	 * @param maxTasks the most tasks in one lease
	 * @param maxWait the longest a call waits for tasks when the buffer is empty
	 */
	public record FetchLimits(int maxTasks, Duration maxWait) {
	}

}
