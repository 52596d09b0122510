package io.eventgateway.orchestrator.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.fleet.Standing;
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
 * wait limit. A fenced orchestrator refuses FetchTasks with UNAVAILABLE; one whose fleet
 * is on standby answers with no tasks. Renewals are served either way, since the leases
 * out already still end normally.
 */
public class EventsOrchestratorGrpcService extends EventsOrchestratorGrpc.EventsOrchestratorImplBase {

	private final TaskStateController controller;

	private final LeaseTable leases;

	private final FetchLimits limits;

	private final int replicaIndex;

	private final FetchObserver observer;

	private final Supplier<Standing> standing;

	public EventsOrchestratorGrpcService(TaskStateController controller, LeaseTable leases, FetchLimits limits,
			int replicaIndex, FetchObserver observer) {
		this(controller, leases, limits, replicaIndex, observer, () -> Standing.SERVING);
	}

	/**
	 * @param controller where tasks are leased from
	 * @param leases the open leases, for renewals
	 * @param limits server-side caps on one call
	 * @param replicaIndex this replica's index, told to the worker with every answer
	 * @param observer told about every served call
	 * @param standing whether this orchestrator hands out leases now, asked on every call
	 */
	public EventsOrchestratorGrpcService(TaskStateController controller, LeaseTable leases, FetchLimits limits,
			int replicaIndex, FetchObserver observer, Supplier<Standing> standing) {
		this.standing = standing;
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
		Standing now = this.standing.get();
		if (now == Standing.FENCED) {
			// At once and as an error: the worker's next fetch goes to another replica
			// without waiting here, while a task leased now could never be settled.
			responseObserver.onError(Status.UNAVAILABLE
				.withDescription("orchestrator replica " + this.replicaIndex
						+ " is fenced: no contact with its Kafka cluster; fetch from another replica")
				.asRuntimeException());
			return;
		}
		long startNanos = System.nanoTime();
		try {
			Optional<Lease> lease = (now == Standing.SERVING)
					? this.controller.fetch(maxTasks, this.limits.maxBytes(), maxWait) : standBy(maxWait);
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

	/**
	 * A fleet on standby leases nothing, but answers like an empty buffer, after the
	 * wait, so that its workers do not spin; they have no other fleet to go to.
	 */
	private static Optional<Lease> standBy(Duration maxWait) throws InterruptedException {
		TimeUnit.NANOSECONDS.sleep(maxWait.toNanos());
		return Optional.empty();
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
