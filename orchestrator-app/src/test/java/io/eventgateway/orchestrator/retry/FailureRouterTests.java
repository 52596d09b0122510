package io.eventgateway.orchestrator.retry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.orchestrator.support.MutableClock;
import io.eventgateway.orchestrator.support.Tasks;

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
