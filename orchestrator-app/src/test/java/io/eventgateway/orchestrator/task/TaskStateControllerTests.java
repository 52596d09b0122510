package io.eventgateway.orchestrator.task;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.support.MutableClock;
import io.eventgateway.orchestrator.support.Tasks;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import static io.eventgateway.orchestrator.support.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

class TaskStateControllerTests {

	private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(30);

	private static final TopicPartition P10_0 = new TopicPartition("events.p10", 0);

	private final MutableClock clock = new MutableClock(Tasks.INGESTED_AT);

	private final TaskBuffer buffer = new TaskBuffer();

	private final OffsetTrackers offsets = new OffsetTrackers();

	private final TaskStateController controller = new TaskStateController(this.buffer, new LeaseTable(this.clock),
			this.offsets, LEASE_TIMEOUT);

	@Test
	void ackedTasksLetTheOffsetBeCommitted() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0), task(Priority.P10, 1)));
		Lease lease = this.controller.fetch(10, Duration.ZERO).orElseThrow();

		this.controller.answer(response(lease, TaskOutcome.Verdict.ACK));

		assertThat(this.offsets.committable(P10_0)).hasValue(2);
		assertThat(this.controller.ackedCount()).isEqualTo(2);
	}

	@Test
	void leasedButUnansweredTasksHoldTheCommit() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		this.controller.fetch(10, Duration.ZERO).orElseThrow();

		assertThat(this.offsets.committable(P10_0)).hasValue(0);
	}

	@Test
	void nackedTaskReturnsToTheBufferWithItsAttemptRaised() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		Lease lease = this.controller.fetch(10, Duration.ZERO).orElseThrow();

		this.controller.answer(response(lease, TaskOutcome.Verdict.NACK));

		List<BufferedTask> again = this.buffer.take(10, Duration.ZERO);
		assertThat(again).singleElement().satisfies((task) -> assertThat(task.event().getAttempt()).isEqualTo(1));
		assertThat(this.offsets.committable(P10_0)).hasValue(0);
	}

	@Test
	void expiredLeaseReturnsItsTasksToTheBuffer() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		this.controller.fetch(10, Duration.ZERO).orElseThrow();
		this.clock.advance(LEASE_TIMEOUT);

		assertThat(this.controller.expireLeases()).isEqualTo(1);
		assertThat(this.buffer.size()).isEqualTo(1);
	}

	@Test
	void tasksOfARevokedPartitionAreDroppedNotServed() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));

		this.controller.revoked(Set.of(P10_0));

		assertThat(this.controller.fetch(10, Duration.ZERO)).isEmpty();
		assertThat(this.offsets.committable(P10_0)).isEmpty();
	}

	@Test
	void expiredTasksOfARevokedPartitionAreNotRequeued() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		this.controller.fetch(10, Duration.ZERO).orElseThrow();
		this.controller.revoked(Set.of(P10_0));
		this.clock.advance(LEASE_TIMEOUT);

		this.controller.expireLeases();

		assertThat(this.buffer.size()).isZero();
	}

	@Test
	void recordsOfUnownedPartitionsAreNotAccepted() throws InterruptedException {
		this.controller.accept(List.of(task(Priority.P10, 0)));

		assertThat(this.controller.fetch(10, Duration.ZERO)).isEmpty();
	}

	private static TaskResponse response(Lease lease, TaskOutcome.Verdict verdict) {
		TaskResponse.Builder response = TaskResponse.newBuilder().setLeaseId(lease.id());
		for (BufferedTask task : lease.pendingTasks()) {
			response.addOutcomes(TaskOutcome.newBuilder().setPosition(task.position().toProto()).setVerdict(verdict));
		}
		return response.build();
	}

}
