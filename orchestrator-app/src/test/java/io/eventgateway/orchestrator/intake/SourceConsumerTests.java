package io.eventgateway.orchestrator.intake;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopState;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.fleet.Standing;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryGate;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.retry.FailedTaskSink;
import io.eventgateway.orchestrator.retry.ForeignRecord;
import io.eventgateway.orchestrator.retry.RetryDecision;
import io.eventgateway.orchestrator.support.MutableClock;
import io.eventgateway.orchestrator.support.Tasks;
import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The source loop's jobs against Kafka's {@link MockConsumer}: foreign records in offset
 * order with their neighbours, per-poll limits without fetching again, partition holds,
 * commits only as far as the trackers allow, and survival of failed iterations.
 */
class SourceConsumerTests {

	private static final TopicPartition P10_0 = new TopicPartition("events.p10", 0);

	private static final long HEAP = 1_000_000;

	private static final TopicPartition RETRY_0 = new TopicPartition("events.retry.1", 0);

	private static final TopicPartition RETRY_1 = new TopicPartition("events.retry.1", 1);

	/** Every offset ever committed; MockConsumer forgets its commits on unsubscribe. */
	private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();

	private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {

		@Override
		public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
			super.commitSync(offsets, timeout);
			offsets.forEach((partition, offset) -> SourceConsumerTests.this.commits.put(partition, offset.offset()));
		}

		@Override
		public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
				OffsetCommitCallback callback) {
			super.commitAsync(offsets, callback);
			offsets.forEach((partition, offset) -> SourceConsumerTests.this.commits.put(partition, offset.offset()));
		}

		@Override
		public synchronized void seek(TopicPartition partition, long offset) {
			// MockConsumer positions a new partition by a seek of its own: only later
			// ones are the loop's.
			if (!SourceConsumerTests.this.positioned.add(partition)) {
				SourceConsumerTests.this.seeks.add(partition + "@" + offset);
			}
			super.seek(partition, offset);
		}

	};

	/** Every seek: the loop never moves a position back, so none ever. */
	private final List<String> seeks = new CopyOnWriteArrayList<>();

	private final Set<TopicPartition> positioned = ConcurrentHashMap.newKeySet();

	/** The loop's clock: retry due times and the commit timer. */
	private final MutableClock clock = new MutableClock(Instant.now());

	private Duration commitInterval = Duration.ZERO;

	private final OffsetTrackers offsets = new OffsetTrackers();

	private final AtomicReference<Standing> standing = new AtomicReference<>(Standing.SERVING);

	private final TaskBuffer buffer = new TaskBuffer();

	/** Shared by the controller and the source, as in the application. */
	private final MemoryLedger memory = new MemoryLedger();

	/** The source's memory threshold, in percent of a heap of {@link #HEAP} bytes. */
	private volatile double thresholdPercent = 50;

	private volatile double hysteresisPercent = 5;

	private final List<ForeignRecord> deadLettered = new CopyOnWriteArrayList<>();

	private final TaskStateController controller = new TaskStateController(this.buffer,
			new LeaseTable(Clock.systemUTC()), this.offsets, this.memory, new FailedTaskSink() {

				@Override
				public CompletableFuture<RetryDecision> send(BufferedTask task, String reason) {
					return CompletableFuture.completedFuture(RetryDecision.deadLetter());
				}

				@Override
				public CompletableFuture<Void> deadLetter(ForeignRecord record) {
					SourceConsumerTests.this.deadLettered.add(record);
					return CompletableFuture.completedFuture(null);
				}

			}, () -> new TaskStateController.Settings(Duration.ofSeconds(30), 3), (topic) -> {
				if (this.failNextUndecodable.getAndSet(false)) {
					throw new IllegalStateException("meter failed while handing on");
				}
			});

	private final AtomicBoolean failNextUndecodable = new AtomicBoolean();

	private final LoopHeartbeat heartbeat = LoopMonitor.standalone(Clock.systemUTC())
		.register("source-test", () -> Duration.ofMinutes(1));

	private final AtomicInteger maxRecords = new AtomicInteger(500);

	private final AtomicBoolean failNextGateCheck = new AtomicBoolean();

	private final AtomicBoolean failNextPollDelay = new AtomicBoolean();

	private SourceConsumer loop;

	private SourceState sourceState;

	private boolean groupManaged;

	private Thread thread;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.loop != null) {
			this.loop.stop();
			this.thread.join(10_000);
		}
	}

	@Test
	void aForeignRecordReadBeforeValidOnesInOnePollCostsOnlyItself() throws InterruptedException {
		start(P10_0, List.of(foreign(P10_0, 0), event(P10_0, 1), event(P10_0, 2), event(P10_0, 3)));

		List<BufferedTask> leased = leaseAndAck(3);

		assertThat(leased).extracting((task) -> task.position().offset()).containsExactlyInAnyOrder(1L, 2L, 3L);
		assertThat(this.deadLettered).singleElement()
			.satisfies((record) -> assertThat(record.position().offset()).isZero());
		await().atMost(Duration.ofSeconds(10)).until(() -> committed(P10_0) == 4);
		// The source goes on: an event accepted afterwards flows too.
		this.consumer.schedulePollTask(() -> this.consumer.addRecord(event(P10_0, 4)));
		assertThat(leaseAndAck(1)).singleElement()
			.satisfies((task) -> assertThat(task.position().offset()).isEqualTo(4));
	}

	@Test
	void foreignRecordsInTheMiddleAndLastKeepOffsetOrder() throws InterruptedException {
		start(P10_0, List.of(event(P10_0, 0), foreign(P10_0, 1), event(P10_0, 2), foreign(P10_0, 3)));

		leaseAndAck(2);

		assertThat(this.deadLettered).extracting((record) -> record.position().offset()).containsExactly(1L, 3L);
		await().atMost(Duration.ofSeconds(10)).until(() -> committed(P10_0) == 4);
	}

	@Test
	void recordsBeyondThePerPollLimitAreHandedOnLaterNotDropped() throws InterruptedException {
		this.maxRecords.set(2);
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		for (long offset = 0; offset < 7; offset++) {
			records.add(event(P10_0, offset));
		}
		start(P10_0, records);

		// MockConsumer returns each record once: a limit that fetched again would lose
		// some.
		assertThat(leaseAndAck(7)).hasSize(7);
		await().atMost(Duration.ofSeconds(10)).until(() -> committed(P10_0) == 7);
	}

	@Test
	void aFailedIterationIsCountedAndTheLoopGoesOn() throws InterruptedException {
		this.failNextGateCheck.set(true);
		start(P10_0, List.of(event(P10_0, 0)));

		assertThat(leaseAndAck(1)).hasSize(1);
		assertThat(this.heartbeat.failures()).isEqualTo(1);
		assertThat(this.heartbeat.lastError()).isEqualTo("IllegalStateException");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.heartbeat.state() == LoopState.RUNNING);
	}

	@Test
	void recordsOfAPollWhoseHandlingFailedAreNotLost() throws InterruptedException {
		this.failNextPollDelay.set(true);
		start(P10_0, List.of(event(P10_0, 0), event(P10_0, 1)));

		assertThat(leaseAndAck(2)).hasSize(2);
		assertThat(this.heartbeat.failures()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> committed(P10_0) == 2);
	}

	@Test
	void recordsWhoseHandOnFailedAreHandedOnAgainFromMemoryNotFetchedAgain() throws InterruptedException {
		this.failNextUndecodable.set(true);
		// MockConsumer returns each record once: only records kept in memory can be
		// handed on again.
		start(P10_0, List.of(event(P10_0, 0), foreign(P10_0, 1), event(P10_0, 2)));

		assertThat(leaseAndAck(2)).extracting((task) -> task.position().offset()).containsExactlyInAnyOrder(0L, 2L);
		assertThat(this.heartbeat.failures()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> committed(P10_0) == 3);
		// Dead-lettered before the failure, and again by the hand-on that worked: at
		// least once.
		assertThat(this.deadLettered).extracting((record) -> record.position().offset()).contains(1L);
		assertThat(this.seeks).isEmpty();
	}

	@Test
	void aRetryRecordNotDueHoldsItsPartitionAndIsServedFromMemoryOnceDue() {
		long notBefore = this.clock.millis() + Duration.ofHours(1).toMillis();
		start(RETRY_0, List.of(event(RETRY_0, 0), retry(RETRY_0, 1, notBefore), event(RETRY_0, 2)));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.paused().contains(RETRY_0));
		assertThat(this.buffer.size()).isEqualTo(1);

		this.clock.advance(Duration.ofHours(1).plusSeconds(1));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.buffer.size() == 3);
		assertThat(this.seeks).isEmpty();
		assertThat(this.consumer.position(RETRY_0)).isEqualTo(3);
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.consumer.paused().contains(RETRY_0));
	}

	@Test
	void aHeldPartitionDoesNotHoldTheSourcesOtherPartitions() {
		long notBefore = this.clock.millis() + Duration.ofHours(1).toMillis();
		start(List.of(RETRY_0, RETRY_1), List.of(retry(RETRY_0, 0, notBefore), event(RETRY_0, 1)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.paused().contains(RETRY_0));

		this.consumer.schedulePollTask(() -> {
			this.consumer.addRecord(event(RETRY_1, 0));
			this.consumer.addRecord(event(RETRY_1, 1));
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.buffer.size() == 2);
		assertThat(this.consumer.paused()).containsExactly(RETRY_0);
		assertThat(this.offsets.committable(RETRY_0)).isEmpty();
	}

	@Test
	void finishedOffsetsAreCommittedOnTheTimerAndAtStopNotOnEveryIteration() throws InterruptedException {
		this.commitInterval = Duration.ofHours(1);
		start(P10_0, List.of(event(P10_0, 0), event(P10_0, 1)));

		assertThat(leaseAndAck(2)).hasSize(2);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> committed(P10_0) < 2 && this.offsets.committable(P10_0).orElse(-1) == 2);

		this.clock.advance(Duration.ofHours(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> committed(P10_0) == 2);

		this.consumer.schedulePollTask(() -> this.consumer.addRecord(event(P10_0, 2)));
		assertThat(leaseAndAck(1)).hasSize(1);
		this.loop.stop();
		this.thread.join(10_000);
		assertThat(committed(P10_0)).isEqualTo(3);
	}

	@Test
	void onStandbyTheSourceCommitsWhatIsDoneHandsBackItsPartitionsAndRejoinsWhenServingAgain()
			throws InterruptedException {
		start(P10_0, List.of(event(P10_0, 0), event(P10_0, 1), event(P10_0, 2), event(P10_0, 3)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.buffer.size() == 4);
		leaseAndAck(2);

		this.standing.set(Standing.STANDBY);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.assignment().isEmpty());
		assertThat(committed(P10_0)).isEqualTo(2);
		// The unleased tasks are dropped: their new owner reads them again from the
		// commit.
		assertThat(this.buffer.size()).isZero();
		assertThat(this.offsets.owns(P10_0)).isFalse();

		this.standing.set(Standing.SERVING);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.assignment().contains(P10_0));
		assertThat(this.offsets.owns(P10_0)).isTrue();
	}

	@Test
	void aFencedSourceLeavesWithoutCommittingAndALateAnswerMovesNoCommit() throws InterruptedException {
		start(P10_0, List.of(event(P10_0, 0), event(P10_0, 1), event(P10_0, 2)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.buffer.size() == 3);
		Lease lease = this.controller.fetch(2, Long.MAX_VALUE, Duration.ZERO).orElseThrow();

		this.standing.set(Standing.FENCED);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.assignment().isEmpty());
		assertThat(this.buffer.size()).isZero();
		TaskResponse.Builder answer = TaskResponse.newBuilder().setLeaseId(lease.id());
		lease.pendingTasks()
			.forEach((task) -> answer.addOutcomes(TaskOutcome.newBuilder()
				.setPosition(task.position().toProto())
				.setVerdict(TaskOutcome.Verdict.ACK)));
		this.controller.answer(answer.build());
		assertThat(this.controller.ackedCount()).isEqualTo(2);
		assertThat(this.offsets.committable(P10_0)).isEmpty();
		// At most the start of the partition, committed before the fence: never past the
		// leased events, which the new owner serves again.
		assertThat(committed(P10_0)).isLessThanOrEqualTo(0);
	}

	@Test
	void recordsBehindAHeldRetryRecordAreChargedToTheSourceUntilHandedOn() {
		long notBefore = this.clock.millis() + Duration.ofHours(1).toMillis();
		ConsumerRecord<String, byte[]> held = retry(RETRY_0, 1, notBefore);
		ConsumerRecord<String, byte[]> behind = event(RETRY_0, 2);
		start(RETRY_0, List.of(event(RETRY_0, 0), held, behind));

		long waiting = PendingRecords.bytesOf(held) + PendingRecords.bytesOf(behind);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.consumer.paused().contains(RETRY_0) && this.memory.waitingBytes("test") == waiting);
		assertThat(this.buffer.size()).isEqualTo(1);
		assertThat(this.memory.totalBytes()).isEqualTo(this.memory.bytes(Priority.P10) + waiting);

		this.clock.advance(Duration.ofHours(1).plusSeconds(1));

		await().atMost(Duration.ofSeconds(10)).until(() -> this.buffer.size() == 3);
		assertThat(this.memory.waitingBytes("test")).isZero();
	}

	@Test
	void recordsWaitingForAPartitionHandedBackAreNoLongerCharged() {
		long notBefore = this.clock.millis() + Duration.ofHours(1).toMillis();
		start(RETRY_0, List.of(retry(RETRY_0, 0, notBefore), event(RETRY_0, 1)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.memory.waitingBytes("test") > 0);

		this.standing.set(Standing.STANDBY);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.assignment().isEmpty());
		assertThat(this.memory.waitingBytes("test")).isZero();
		assertThat(this.memory.totalBytes()).isZero();
	}

	@Test
	void aSourcePausedForMemoryReadsNothingMoreButHandsOnWhatItReadAlready() throws InterruptedException {
		// One record per iteration, and a threshold that the first poll's read-ahead
		// alone crosses: the gate closes with records waiting.
		this.maxRecords.set(1);
		long recordBytes = PendingRecords.bytesOf(event(P10_0, 0));
		this.thresholdPercent = 100.0 * (recordBytes * 3 / 2) / HEAP;
		this.hysteresisPercent = this.thresholdPercent / 2;
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		for (long offset = 0; offset < 5; offset++) {
			records.add(event(P10_0, offset));
		}
		start(P10_0, records);

		// Handing on moves bytes from read-ahead to the buffer: were what waits kept
		// back while the gate is closed, the gate could never open again.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.buffer.size() == 5);
		assertThat(this.memory.waitingBytes("test")).isZero();
		assertThat(this.sourceState.memoryGate().isClosed()).isTrue();
		this.consumer.schedulePollTask(() -> this.consumer.addRecord(event(P10_0, 5)));
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.consumer.paused().contains(P10_0) && this.buffer.size() == 5
					&& this.memory.waitingBytes("test") == 0);

		assertThat(leaseAndAck(5)).hasSize(5);

		assertThat(leaseAndAck(1)).singleElement()
			.satisfies((task) -> assertThat(task.position().offset()).isEqualTo(5));
		assertThat(this.sourceState.memoryGate().resumeCount()).isPositive();
		assertThat(this.seeks).isEmpty();
	}

	@Test
	void aPartitionAssignedWhileTheSourceIsPausedForMemoryIsPausedBeforeItsRecordsAreRead() {
		// Closed from the first check on: nothing held is above a negative threshold.
		this.thresholdPercent = -1;
		this.groupManaged = true;
		start(P10_0, List.of());
		this.consumer.schedulePollTask(() -> {
			this.consumer.rebalance(List.of(P10_0));
			this.consumer.addRecord(event(P10_0, 0));
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> this.consumer.paused().contains(P10_0));
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.memory.waitingBytes("test") == 0 && this.buffer.size() == 0);
		assertThat(this.consumer.position(P10_0)).isZero();
	}

	private void start(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
		start(List.of(partition), records);
	}

	/** Starts the loop on partitions of one topic. */
	private void start(List<TopicPartition> partitions, List<ConsumerRecord<String, byte[]>> records) {
		TopicPartition partition = partitions.get(0);
		this.consumer.updatePartitions(partition.topic(),
				partitions.stream()
					.map((each) -> new PartitionInfo(each.topic(), each.partition(), null, null, null))
					.toList());
		Map<TopicPartition, Long> beginnings = new HashMap<>();
		partitions.forEach((each) -> beginnings.put(each, 0L));
		this.consumer.updateBeginningOffsets(beginnings);
		this.consumer.schedulePollTask(() -> records.forEach(this.consumer::addRecord));
		// Charged like a priority source: its held tasks and what it read ahead.
		MemoryGate gate = new MemoryGate(() -> this.memory.bytes(Priority.P10) + this.memory.waitingBytes("test"), HEAP,
				() -> this.thresholdPercent, () -> this.hysteresisPercent);
		SourceState state = new SourceState("test", gate, () -> {
			if (this.failNextGateCheck.getAndSet(false)) {
				throw new IllegalStateException("gate check failed");
			}
			return true;
		}, this.memory);
		this.sourceState = state;
		this.loop = new SourceConsumer(this.consumer,
				this.groupManaged ? SourceConsumer.Subscription.of(List.of(partition.topic()))
						: new SourceConsumer.Subscription(List.of(partition.topic()), (number) -> true),
				this.controller, this.offsets, state, this.clock,
				new SourceConsumer.Settings(Duration.ofMillis(5), this.maxRecords::get,
						(topic) -> topic.startsWith("events.retry.") ? Duration.ofHours(2).toMillis() : 0L,
						(topic, delay) -> {
							if (this.failNextPollDelay.getAndSet(false)) {
								throw new IllegalStateException("meter failed");
							}
						}, this.commitInterval),
				this.heartbeat, this.standing::get);
		this.heartbeat.started();
		this.thread = new Thread(this.loop, "source-test");
		this.thread.start();
	}

	private List<BufferedTask> leaseAndAck(int count) throws InterruptedException {
		List<BufferedTask> leased = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (leased.size() < count && System.nanoTime() < deadline) {
			Optional<Lease> lease = this.controller.fetch(count - leased.size(), Long.MAX_VALUE,
					Duration.ofMillis(100));
			if (lease.isPresent()) {
				TaskResponse.Builder response = TaskResponse.newBuilder().setLeaseId(lease.get().id());
				for (BufferedTask task : lease.get().pendingTasks()) {
					leased.add(task);
					response.addOutcomes(TaskOutcome.newBuilder()
						.setPosition(task.position().toProto())
						.setVerdict(TaskOutcome.Verdict.ACK));
				}
				this.controller.answer(response.build());
			}
		}
		return leased;
	}

	private long committed(TopicPartition partition) {
		return this.commits.getOrDefault(partition, -1L);
	}

	private static ConsumerRecord<String, byte[]> event(TopicPartition partition, long offset) {
		return record(partition, offset,
				Tasks.task(Priority.P10, partition.topic(), partition.partition(), offset)
					.serializedEvent()
					.toByteArray(),
				new RecordHeaders());
	}

	private static ConsumerRecord<String, byte[]> foreign(TopicPartition partition, long offset) {
		return record(partition, offset, "not an event".getBytes(), new RecordHeaders());
	}

	private static ConsumerRecord<String, byte[]> retry(TopicPartition partition, long offset, long notBefore) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(GatewayHeaders.NOT_BEFORE, ByteBuffer.allocate(Long.BYTES).putLong(notBefore).array());
		return record(partition, offset,
				Tasks.task(Priority.P10, partition.topic(), partition.partition(), offset)
					.serializedEvent()
					.toByteArray(),
				headers);
	}

	private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset, byte[] value,
			RecordHeaders headers) {
		return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, System.currentTimeMillis(),
				TimestampType.CREATE_TIME, 0, value.length, "k", value, headers, Optional.empty());
	}

}
