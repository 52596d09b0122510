package io.eventgateway.orchestrator.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.lease.Lease;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.support.MutableClock;
import io.eventgateway.orchestrator.support.Tasks;
import io.eventgateway.orchestrator.task.TaskStateController;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where failed tasks and foreign records are written, against Kafka's
 * {@link MockProducer}: no failure, synchronous or not, escapes as an exception.
 */
class FailureRouterTests {

	// KafkaTemplate closes a producer after each send; a real factory's producer ignores
	// that.
	private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
			new ByteArraySerializer()) {

		@Override
		public void close(java.time.Duration timeout) {
		}

	};

	private final FailureRouter router = new FailureRouter(
			new KafkaTemplate<>(new MockProducerFactory<>(() -> this.producer)), new TopicLayout("events", 2),
			new RetryPolicy(2, Duration.ofSeconds(1), 2), new MutableClock(Tasks.INGESTED_AT));

	@Test
	void anAttemptCountWithoutARetryLevelGoesToTheDeadLetterTopic() {
		BufferedTask overflowed = Tasks.task(Priority.P10, 0);
		overflowed = BufferedTask.of(overflowed.event().toBuilder().setAttempt(Integer.MIN_VALUE).build(),
				overflowed.position());

		CompletableFuture<RetryDecision> written = this.router.send(overflowed, "NACK");
		this.producer.completeNext();

		assertThat(written).isCompletedWithValue(RetryDecision.deadLetter());
		assertThat(this.producer.history()).singleElement().extracting(ProducerRecord::topic).isEqualTo("events.dlq");
	}

	@Test
	void aRetryRecordCarriesTheFourOrderingHeaders() {
		BufferedTask task = Tasks.task(Priority.P20, 3);

		CompletableFuture<RetryDecision> written = this.router.send(task.retried(), "NACK");
		this.producer.completeNext();

		assertThat(written).isCompletedWithValue(RetryDecision.retry(1, Duration.ofSeconds(1)));
		ProducerRecord<String, byte[]> record = this.producer.history().get(0);
		assertThat(record.topic()).isEqualTo("events.retry.1");
		assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.EVENT_ID)).isEqualTo(task.eventId());
		assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.PRIORITY, -1)).isEqualTo(20);
		assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.SLO_DEADLINE))
			.isEqualTo(task.deadline());
		assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.INGESTED_AT))
			.isEqualTo(task.ingestedAt());
	}

	@Test
	void aNackedTaskWhoseValueIsNotAnEventEndsInTheDeadLetterTopicAndFreesItsOffset() throws InterruptedException {
		OffsetTrackers offsets = new OffsetTrackers();
		TopicPartition partition = new TopicPartition("events.p30", 0);
		offsets.assigned(List.of(partition));
		TaskStateController controller = new TaskStateController(new TaskBuffer(),
				new LeaseTable(new MutableClock(Tasks.INGESTED_AT)), offsets, new MemoryLedger(), this.router,
				() -> new TaskStateController.Settings(Duration.ofSeconds(30), 3), (topic) -> {
				});
		Position position = new Position(partition.topic(), 0, 5);
		// Good ordering headers, a value that is not an event: only a worker finds out.
		BufferedTask task = BufferedTask.of(
				new BufferedTask.Ordering("e-bad", Priority.P30, Tasks.INGESTED_AT.plusSeconds(5), Tasks.INGESTED_AT),
				ByteString.copyFromUtf8("not an event"), position, position);
		controller.accept(List.of(task));
		Lease lease = controller.fetch(1, Long.MAX_VALUE, Duration.ZERO).orElseThrow();

		controller.answer(TaskResponse.newBuilder()
			.setLeaseId(lease.id())
			.addOutcomes(TaskOutcome.newBuilder()
				.setPosition(position.toProto())
				.setVerdict(TaskOutcome.Verdict.NACK)
				.setReason("does not decode"))
			.build());
		this.producer.completeNext();

		ProducerRecord<String, byte[]> dead = this.producer.history().get(0);
		assertThat(dead.topic()).isEqualTo("events.dlq");
		assertThat(dead.value()).isEqualTo("not an event".getBytes(StandardCharsets.UTF_8));
		assertThat(GatewayHeaders.getString(dead.headers(), GatewayHeaders.EVENT_ID)).isEqualTo("e-bad");
		assertThat(GatewayHeaders.getString(dead.headers(), GatewayHeaders.ERROR)).contains("does not decode");
		assertThat(offsets.committable(partition)).hasValue(6);
		assertThat(this.router.deadLetteredCount()).isEqualTo(1);
		assertThat(this.router.retriedCount()).isZero();
	}

	@ParameterizedTest
	@MethodSource("unorderableEvents")
	void aNackedEventThatFailsThePayloadChecksGoesStraightToTheDeadLetterTopic(Event event, String problem) {
		Position position = new Position("events.p30", 0, 5);
		BufferedTask task = BufferedTask.of(
				new BufferedTask.Ordering("e-bad", Priority.P30, Tasks.INGESTED_AT.plusSeconds(5), Tasks.INGESTED_AT),
				event.toByteString(), position, position);

		CompletableFuture<RetryDecision> written = this.router.send(task, "unreadable event: " + problem);
		this.producer.completeNext();

		assertThat(written).isCompletedWithValue(RetryDecision.deadLetter());
		ProducerRecord<String, byte[]> dead = this.producer.history().get(0);
		assertThat(dead.topic()).isEqualTo("events.dlq");
		assertThat(dead.value()).isEqualTo(event.toByteArray());
		assertThat(GatewayHeaders.getString(dead.headers(), GatewayHeaders.ERROR)).startsWith(problem);
		assertThat(this.router.retriedCount()).isZero();
	}

	static Stream<Arguments> unorderableEvents() {
		Event good = Tasks.task(Priority.P30, 0).event().toBuilder().setAttempt(1).build();
		return Stream.of(Arguments.of(good.toBuilder().clearEventId().build(), "no event id"),
				Arguments.of(good.toBuilder().clearSloDeadline().build(), "no valid SLO deadline"),
				Arguments.of(good.toBuilder().setAttempt(-3).build(), "negative attempt -3"),
				Arguments.of(good.toBuilder().setPriorityLevel(PriorityLevel.PRIORITY_LEVEL_UNSPECIFIED).build(),
						"unknown priority"),
				Arguments.of(good.toBuilder().setPriorityLevelValue(99).build(), "unknown priority"));
	}

	@Test
	void anUnreadableTaskTooLargeToCopyWholeIsDeadLetteredWithoutItsValueAndFreesItsOffset()
			throws InterruptedException {
		OffsetTrackers offsets = new OffsetTrackers();
		TaskStateController controller = controller(offsets);
		Position position = nackUnreadable(controller, offsets);
		this.producer.errorNext(new RecordTooLargeException("too large"));
		this.producer.completeNext();

		ProducerRecord<String, byte[]> trimmed = this.producer.history().get(1);
		assertThat(trimmed.topic()).isEqualTo("events.dlq");
		assertThat(trimmed.value()).isNull();
		assertThat(GatewayHeaders.getString(trimmed.headers(), GatewayHeaders.VALUE_DROPPED)).isNotBlank();
		assertThat(GatewayHeaders.getString(trimmed.headers(), GatewayHeaders.EVENT_ID)).isEqualTo("e-bad");
		assertThat(offsets.committable(position.topicPartition())).hasValue(6);
		assertThat(this.router.deadLetteredCount()).isEqualTo(1);
	}

	@Test
	void anUnreadableTaskThatNeverFitsIsGivenUpAndCountedSoThatItsPartitionMovesOn() throws InterruptedException {
		OffsetTrackers offsets = new OffsetTrackers();
		TaskStateController controller = controller(offsets);
		this.producer.sendException = new RecordTooLargeException("too large at once");

		Position position = nackUnreadable(controller, offsets);

		assertThat(offsets.committable(position.topicPartition())).hasValue(6);
		assertThat(controller.fetch(1, Long.MAX_VALUE, Duration.ZERO)).isEmpty();
		assertThat(this.router.unreadableUnwritableCount()).isEqualTo(1);
		assertThat(this.router.unwritableCount()).isEqualTo(1);
		assertThat(this.router.deadLetteredCount()).isZero();
	}

	private TaskStateController controller(OffsetTrackers offsets) {
		return new TaskStateController(new TaskBuffer(), new LeaseTable(new MutableClock(Tasks.INGESTED_AT)), offsets,
				new MemoryLedger(), this.router, () -> new TaskStateController.Settings(Duration.ofSeconds(30), 3),
				(topic) -> {
				});
	}

	/**
	 * Leases a task whose headers were good and whose value is not an event, and NACKs
	 * it.
	 */
	private static Position nackUnreadable(TaskStateController controller, OffsetTrackers offsets)
			throws InterruptedException {
		TopicPartition partition = new TopicPartition("events.p30", 0);
		offsets.assigned(List.of(partition));
		Position position = new Position(partition.topic(), 0, 5);
		controller.accept(List.of(BufferedTask.of(
				new BufferedTask.Ordering("e-bad", Priority.P30, Tasks.INGESTED_AT.plusSeconds(5), Tasks.INGESTED_AT),
				ByteString.copyFrom(new byte[2000]), position, position)));
		Lease lease = controller.fetch(1, Long.MAX_VALUE, Duration.ZERO).orElseThrow();
		controller.answer(TaskResponse.newBuilder()
			.setLeaseId(lease.id())
			.addOutcomes(TaskOutcome.newBuilder()
				.setPosition(position.toProto())
				.setVerdict(TaskOutcome.Verdict.NACK)
				.setReason("unreadable event"))
			.build());
		return position;
	}

	@Test
	void aForeignRecordTooLargeToCopyWholeIsDeadLetteredWithoutItsValue() {
		CompletableFuture<Void> written = this.router.deadLetter(foreign());
		this.producer.errorNext(new RecordTooLargeException("too large"));
		this.producer.completeNext();

		assertThat(written).isCompleted();
		assertThat(written.isCompletedExceptionally()).isFalse();
		ProducerRecord<String, byte[]> trimmed = this.producer.history().get(1);
		assertThat(trimmed.topic()).isEqualTo("events.dlq");
		assertThat(trimmed.value()).isNull();
		assertThat(trimmed.headers().lastHeader("x-big")).isNull();
		assertThat(GatewayHeaders.getString(trimmed.headers(), GatewayHeaders.VALUE_DROPPED)).isNotBlank();
		assertThat(GatewayHeaders.getLong(trimmed.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1)).isEqualTo(7);
		assertThat(this.router.foreignDeadLetteredCount()).isEqualTo(1);
	}

	@Test
	void aForeignRecordThatNeverFitsIsGivenUpAndCountedRatherThanRetriedForever() {
		this.producer.sendException = new RecordTooLargeException("too large at once");

		CompletableFuture<Void> written = this.router.deadLetter(foreign());

		assertThat(written).isCompleted();
		assertThat(written.isCompletedExceptionally()).isFalse();
		assertThat(this.router.foreignUnwritableCount()).isEqualTo(1);
		assertThat(this.router.foreignDeadLetteredCount()).isZero();
	}

	@Test
	void aWriteRefusedAtOnceFailsTheFutureInsteadOfThrowing() {
		this.producer.sendException = new TimeoutException("no metadata");

		assertThat(this.router.deadLetter(foreign())).isCompletedExceptionally();
		assertThat(this.router.send(Tasks.task(Priority.P10, 0).retried(), "NACK")).isCompletedExceptionally();
		assertThat(this.router.foreignUnwritableCount()).isZero();
	}

	private static ForeignRecord foreign() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("x-big", new byte[100]);
		return new ForeignRecord(new Position("events.p10", 0, 7), "k", new byte[1000], headers.toArray(), 0L,
				"not an event");
	}

}
