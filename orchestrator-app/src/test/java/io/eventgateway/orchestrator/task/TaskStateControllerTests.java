package io.eventgateway.orchestrator.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.eventgateway.common.event.Priority;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.retry.FailedTaskSink;
import io.eventgateway.orchestrator.retry.ForeignRecord;
import io.eventgateway.orchestrator.retry.RetryDecision;
import io.eventgateway.orchestrator.support.MutableClock;
import io.eventgateway.orchestrator.support.Tasks;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import static io.eventgateway.orchestrator.support.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TaskStateControllerTests {

	private static final Duration RETRY_BUDGET = Duration.ofSeconds(30);

	private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(30);

	private static final TopicPartition P10_0 = new TopicPartition("events.p10", 0);

	private final MutableClock clock = new MutableClock(Tasks.INGESTED_AT);

	private final TaskBuffer buffer = new TaskBuffer();

	private final OffsetTrackers offsets = new OffsetTrackers();

	private final MemoryLedger memory = new MemoryLedger();

	private final List<BufferedTask> handedOff = new ArrayList<>();

	private final List<CompletableFuture<RetryDecision>> handOffs = new ArrayList<>();

	private final List<String> reasons = new ArrayList<>();

	private final List<ForeignRecord> deadLettered = new ArrayList<>();

	private final List<CompletableFuture<Void>> deadLetters = new ArrayList<>();

	private final List<String> undecodableTopics = new ArrayList<>();

	/**
	 * Thrown by the next sends, before any is on its way: a RuntimeException or an Error.
	 */
	private Throwable refuseAtOnce;

	private final FailedTaskSink sink = new FailedTaskSink() {

		@Override
		public CompletableFuture<RetryDecision> send(BufferedTask task, String reason) {
			refuseIfAsked();
			TaskStateControllerTests.this.handedOff.add(task);
			TaskStateControllerTests.this.reasons.add(reason);
			CompletableFuture<RetryDecision> written = new CompletableFuture<>();
			TaskStateControllerTests.this.handOffs.add(written);
			return written;
		}

		@Override
		public CompletableFuture<Void> deadLetter(ForeignRecord record) {
			refuseIfAsked();
			TaskStateControllerTests.this.deadLettered.add(record);
			CompletableFuture<Void> written = new CompletableFuture<>();
			TaskStateControllerTests.this.deadLetters.add(written);
			return written;
		}

		private void refuseIfAsked() {
			Throwable refusal = TaskStateControllerTests.this.refuseAtOnce;
			if (refusal instanceof Error error) {
				throw error;
			}
			if (refusal != null) {
				throw (RuntimeException) refusal;
			}
		}

	};

	private final TaskStateController controller = new TaskStateController(this.buffer, new LeaseTable(this.clock),
			this.offsets, this.memory, this.sink, () -> new TaskStateController.Settings(LEASE_TIMEOUT, 2),
			this.undecodableTopics::add);

	@Test
	void aForeignRecordBeforeValidOnesInOnePollCostsOnlyItself() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		ForeignRecord foreign = foreign(0);
		this.controller.acceptRead(List.of(new ReadRecord.Foreign(foreign),
				new ReadRecord.Decoded(task(Priority.P10, 1)), new ReadRecord.Decoded(task(Priority.P10, 2))));

		assertThat(this.deadLettered).containsExactly(foreign);
		assertThat(this.undecodableTopics).containsExactly("events.p10");
		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		assertThat(lease.pendingTasks()).hasSize(2);
		this.controller.answer(response(lease, TaskOutcome.Verdict.ACK));
		// Not past the foreign record until its dead letter is written.
		assertThat(this.offsets.committable(P10_0)).hasValue(0);

		this.deadLetters.get(0).complete(null);

		assertThat(this.offsets.committable(P10_0)).hasValue(3);
	}

	@Test
	void aForeignRecordBetweenAndAfterValidOnesKeepsOffsetOrder() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller
			.acceptRead(List.of(new ReadRecord.Decoded(task(Priority.P10, 0)), new ReadRecord.Foreign(foreign(1)),
					new ReadRecord.Decoded(task(Priority.P10, 2)), new ReadRecord.Foreign(foreign(3))));
		this.deadLetters.forEach((written) -> written.complete(null));

		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		this.controller.answer(response(lease, TaskOutcome.Verdict.ACK));

		assertThat(this.offsets.committable(P10_0)).hasValue(4);
		assertThat(this.controller.foreignCount()).isEqualTo(2);
	}

	@Test
	void aFailedDeadLetterWriteOfARevokedPartitionIsDroppedAndNoLongerCounted() {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.acceptRead(List.of(new ReadRecord.Foreign(foreign(0))));
		this.deadLetters.get(0).completeExceptionally(new IllegalStateException("broker down"));

		this.controller.revoked(Set.of(P10_0));

		assertThat(this.controller.foreignWaiting()).isZero();
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isZero();
		assertThat(this.deadLetters).hasSize(1);
	}

	@Test
	void aHandOffBeingWrittenAgainWhenItsPartitionIsRevokedIsDroppedOnceItFailsAgain() throws InterruptedException {
		nackOneTaskWhoseWriteFails();
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);

		this.controller.revoked(Set.of(P10_0));
		this.handOffs.get(1).completeExceptionally(new IllegalStateException("still down"));

		assertThat(this.controller.handOffsWaiting()).isEqualTo(1);
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isZero();
		assertThat(this.controller.handOffsWaiting()).isZero();
		assertThat(this.memory.events(Priority.P10)).isZero();
	}

	@Test
	void aFailedDeadLetterWriteHoldsTheCommitAndIsTriedAgain() {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.acceptRead(List.of(new ReadRecord.Foreign(foreign(0))));
		this.deadLetters.get(0).completeExceptionally(new IllegalStateException("broker down"));

		assertThat(this.offsets.committable(P10_0)).hasValue(0);
		assertThat(this.controller.foreignWaiting()).isEqualTo(1);
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		// Being written again (a send may block for seconds): still waiting.
		assertThat(this.controller.foreignWaiting()).isEqualTo(1);
		this.deadLetters.get(1).complete(null);

		assertThat(this.offsets.committable(P10_0)).hasValue(1);
		assertThat(this.controller.foreignWaiting()).isZero();
	}

	@Test
	void aRecordReadAgainIsNotServedTwice() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		this.controller.accept(List.of(task(Priority.P10, 0), task(Priority.P10, 1)));

		assertThat(this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow().pendingTasks()).hasSize(2);
	}

	@Test
	void aReleasedTaskReturnsToTheBufferWithoutAnAttemptOrExpiry() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		for (int round = 0; round < 5; round++) {
			Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
			this.controller.answer(response(lease, TaskOutcome.Verdict.RELEASE));
		}

		BufferedTask task = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO)
			.orElseThrow()
			.pendingTasks()
			.get(0);
		assertThat(task.expiries()).isZero();
		assertThat(task.event().getAttempt()).isZero();
		assertThat(this.handedOff).isEmpty();
		assertThat(this.controller.releasedCount()).isEqualTo(5);
		assertThat(this.offsets.committable(P10_0)).hasValue(0);
	}

	@Test
	void aLongNackReasonIsCapped() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();

		this.controller.answer(TaskResponse.newBuilder()
			.setLeaseId(lease.id())
			.addOutcomes(TaskOutcome.newBuilder()
				.setPosition(lease.pendingTasks().get(0).position().toProto())
				.setVerdict(TaskOutcome.Verdict.NACK)
				.setReason("x".repeat(100_000)))
			.build());

		assertThat(this.reasons).singleElement()
			.satisfies((reason) -> assertThat(reason).hasSize(TaskStateController.MAX_REASON_LENGTH));
	}

	@Test
	void ackedTasksLetTheOffsetBeCommitted() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0), task(Priority.P10, 1)));
		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();

		this.controller.answer(response(lease, TaskOutcome.Verdict.ACK));

		assertThat(this.offsets.committable(P10_0)).hasValue(2);
		assertThat(this.controller.ackedCount()).isEqualTo(2);
	}

	@Test
	void leasedButUnansweredTasksHoldTheCommit() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();

		assertThat(this.offsets.committable(P10_0)).hasValue(0);
	}

	@Test
	void nackedTaskIsHandedOffWithItsAttemptRaisedAndDoneOnlyOnceTheWriteSucceeds() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();

		this.controller.answer(response(lease, TaskOutcome.Verdict.NACK));

		assertThat(this.handedOff).singleElement()
			.satisfies((task) -> assertThat(task.event().getAttempt()).isEqualTo(1));
		assertThat(this.offsets.committable(P10_0)).hasValue(0);
		assertThat(this.memory.events(Priority.P10)).isEqualTo(1);

		this.handOffs.get(0).complete(RetryDecision.retry(1, Duration.ofSeconds(1)));

		assertThat(this.offsets.committable(P10_0)).hasValue(1);
		assertThat(this.memory.events(Priority.P10)).isZero();
	}

	@Test
	void aHandOffRefusedAtOnceWaitsWithItsOffsetAndMemoryAndIsTriedAgain() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		this.refuseAtOnce = new IllegalStateException("producer closed");

		this.controller.answer(response(lease, TaskOutcome.Verdict.NACK));

		assertThat(this.controller.handOffsWaiting()).isEqualTo(1);
		assertThat(this.buffer.size()).isZero();
		assertThat(this.offsets.committable(P10_0)).hasValue(0);
		assertThat(this.memory.events(Priority.P10)).isEqualTo(1);
		this.refuseAtOnce = null;
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		assertThat(this.handedOff).singleElement()
			.satisfies((task) -> assertThat(task.event().getAttempt()).isEqualTo(1));
		this.handOffs.get(0).complete(RetryDecision.retry(1, Duration.ofSeconds(1)));
		assertThat(this.offsets.committable(P10_0)).hasValue(1);
		assertThat(this.memory.events(Priority.P10)).isZero();
		assertThat(this.controller.handOffsWaiting()).isZero();
	}

	@Test
	void anErrorThrownByTheSendOfAWaitingHandOffLeavesItWaitingNotLost() throws InterruptedException {
		nackOneTaskWhoseWriteFails();
		this.refuseAtOnce = new NoClassDefFoundError("org/xerial/snappy/Snappy");

		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);

		// Taken out of its queue by the pass: lost, it would hold its memory and the
		// partition's commit for good.
		assertThat(this.controller.handOffsWaiting()).isEqualTo(1);
		this.refuseAtOnce = null;
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		this.handOffs.get(1).complete(RetryDecision.retry(1, Duration.ofSeconds(1)));
		assertThat(this.controller.handOffsWaiting()).isZero();
		assertThat(this.offsets.committable(P10_0)).hasValue(1);
		assertThat(this.memory.events(Priority.P10)).isZero();
	}

	@Test
	void anErrorThrownByTheSendOfAForeignRecordsDeadLetterLeavesItWaitingNotLost(CapturedOutput output) {
		this.offsets.assigned(Set.of(P10_0));
		this.refuseAtOnce = new NoClassDefFoundError("org/xerial/snappy/Snappy");

		this.controller.acceptRead(List.of(new ReadRecord.Foreign(foreign(0))));

		assertThat(this.controller.foreignWaiting()).isEqualTo(1);
		assertThat(this.offsets.committable(P10_0)).hasValue(0);
		this.refuseAtOnce = null;
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		this.deadLetters.get(0).complete(null);
		assertThat(this.controller.foreignWaiting()).isZero();
		assertThat(this.offsets.committable(P10_0)).hasValue(1);
		assertThat(output.getOut().split("no longer waits: its dead-letter write completed after failing before", -1))
			.hasSize(2);
	}

	@Test
	void aFailedHandOffIsNotServedAgainAndIsWrittenLaterWithTheSameAttempt(CapturedOutput output)
			throws InterruptedException {
		nackOneTaskWhoseWriteFails();

		// Served again, it would run once more than its retry levels allow.
		assertThat(this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO)).isEmpty();
		assertThat(this.controller.handOffsWaiting()).isEqualTo(1);
		assertThat(this.offsets.committable(P10_0)).hasValue(0);
		assertThat(this.memory.events(Priority.P10)).isEqualTo(1);
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		// Being written again (a send may block for seconds): still waiting.
		assertThat(this.controller.handOffsWaiting()).isEqualTo(1);
		this.handOffs.get(1).completeExceptionally(new IllegalStateException("still down"));
		assertThat(this.controller.handOffsWaiting()).isEqualTo(1);
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		this.handOffs.get(2).complete(RetryDecision.retry(1, Duration.ofSeconds(1)));

		assertThat(this.handedOff).extracting((task) -> task.event().getAttempt()).containsExactly(1, 1, 1);
		assertThat(this.reasons).containsOnly("NACK");
		assertThat(this.controller.handOffsWaiting()).isZero();
		assertThat(this.offsets.committable(P10_0)).hasValue(1);
		assertThat(this.memory.events(Priority.P10)).isZero();
		// The warnings of its failures are answered once, when it is written.
		assertThat(output.getOut().split("no longer waits: its hand-off completed after failing before", -1))
			.hasSize(2);
	}

	@Test
	void aPoisonTaskWhoseHandOffFailedIsWrittenLaterWithTheSameAttemptAndExpiries() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		for (int expiry = 1; expiry <= 3; expiry++) {
			this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
			this.clock.advance(LEASE_TIMEOUT);
			this.controller.expireLeases();
		}

		this.handOffs.get(0).completeExceptionally(new IllegalStateException("broker down"));

		assertThat(this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO)).isEmpty();
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		assertThat(this.handedOff).hasSize(2).allSatisfy((task) -> {
			assertThat(task.event().getAttempt()).isEqualTo(1);
			assertThat(task.expiries()).isEqualTo(3);
		});
	}

	@Test
	void aRetryPassPastItsBudgetStopsAfterOneWriteAndLeavesTheOthersWaiting() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0), task(Priority.P10, 1)));
		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		this.controller.answer(response(lease, TaskOutcome.Verdict.NACK));
		this.handOffs.forEach((written) -> written.completeExceptionally(new IllegalStateException("broker down")));

		assertThat(this.controller.retryFailedWrites(Duration.ZERO)).isEqualTo(1);

		// Both still wait: one being written, one not tried in this pass.
		assertThat(this.controller.handOffsWaiting()).isEqualTo(2);
		assertThat(this.handedOff).hasSize(3);
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isEqualTo(1);
		assertThat(this.handedOff).hasSize(4);
	}

	@Test
	void aFailedHandOffWaitingWhenItsPartitionIsRevokedIsDroppedThenAndNotWrittenAfterTheRecordIsReadAgain()
			throws InterruptedException {
		nackOneTaskWhoseWriteFails();

		this.controller.revoked(Set.of(P10_0));

		assertThat(this.controller.handOffsWaiting()).isZero();
		assertThat(this.memory.events(Priority.P10)).isZero();
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		assertThat(this.controller.retryFailedWrites(RETRY_BUDGET)).isZero();
		assertThat(this.handedOff).hasSize(1);
		assertThat(this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO))
			.hasValueSatisfying((again) -> assertThat(again.pendingTasks()).singleElement()
				.satisfies((task) -> assertThat(task.event().getAttempt()).isZero()));
	}

	@Test
	void taskWhoseLeasesKeepExpiringIsHandedOffAsPoison() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		for (int expiry = 1; expiry <= 2; expiry++) {
			this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
			this.clock.advance(LEASE_TIMEOUT);
			this.controller.expireLeases();
			assertThat(this.handedOff).isEmpty();
		}
		this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		this.clock.advance(LEASE_TIMEOUT);

		this.controller.expireLeases();

		assertThat(this.handedOff).singleElement().satisfies((task) -> assertThat(task.expiries()).isEqualTo(3));
		assertThat(this.buffer.size()).isZero();
		assertThat(this.controller.poisonedCount()).isEqualTo(1);
	}

	@Test
	void memoryIsHeldFromReadUntilDone() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		BufferedTask task = task(Priority.P10, 0);
		this.controller.accept(List.of(task));
		assertThat(this.memory.bytes(Priority.P10)).isEqualTo(task.bytes());

		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		assertThat(this.memory.bytes(Priority.P10)).isEqualTo(task.bytes());

		this.controller.answer(response(lease, TaskOutcome.Verdict.ACK));
		assertThat(this.memory.bytes(Priority.P10)).isZero();
	}

	@Test
	void expiredLeaseReturnsItsTasksToTheBuffer() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		this.clock.advance(LEASE_TIMEOUT);

		assertThat(this.controller.expireLeases()).isEqualTo(1);
		assertThat(this.buffer.size()).isEqualTo(1);
	}

	@Test
	void tasksOfARevokedPartitionAreDroppedNotServed() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));

		this.controller.revoked(Set.of(P10_0));

		assertThat(this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO)).isEmpty();
		assertThat(this.offsets.committable(P10_0)).isEmpty();
		assertThat(this.memory.events(Priority.P10)).isZero();
	}

	@Test
	void expiredTasksOfARevokedPartitionAreNotRequeued() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		this.controller.revoked(Set.of(P10_0));
		this.clock.advance(LEASE_TIMEOUT);

		this.controller.expireLeases();

		assertThat(this.buffer.size()).isZero();
	}

	@Test
	void recordsOfUnownedPartitionsAreNotAccepted() throws InterruptedException {
		this.controller.accept(List.of(task(Priority.P10, 0)));

		assertThat(this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO)).isEmpty();
	}

	private static ForeignRecord foreign(long offset) {
		return new ForeignRecord(new Position("events.p10", 0, offset), "k", "not an event".getBytes(),
				new RecordHeaders().toArray(), 0L, "not an event");
	}

	/** Task 0 of P10_0, leased, NACKed, and its write to the retry topic failed. */
	private void nackOneTaskWhoseWriteFails() throws InterruptedException {
		this.offsets.assigned(Set.of(P10_0));
		this.controller.accept(List.of(task(Priority.P10, 0)));
		Lease lease = this.controller.fetch(10, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		this.controller.answer(response(lease, TaskOutcome.Verdict.NACK));
		this.handOffs.get(0).completeExceptionally(new IllegalStateException("broker down"));
	}

	private static TaskResponse response(Lease lease, TaskOutcome.Verdict verdict) {
		TaskResponse.Builder response = TaskResponse.newBuilder().setLeaseId(lease.id());
		for (BufferedTask task : lease.pendingTasks()) {
			response.addOutcomes(TaskOutcome.newBuilder().setPosition(task.position().toProto()).setVerdict(verdict));
		}
		return response.build();
	}

}
