package io.eventgateway.publisher.produce;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LaneProducerTests {

	private static final ProducerRecord<String, byte[]> RECORD = new ProducerRecord<>("events.p30", "acme",
			new byte[] { 1, 2, 3 });

	private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
			new ByteArraySerializer());

	private final ExecutorService completions = Executors
		.newSingleThreadExecutor((runnable) -> new Thread(runnable, "completion-under-test"));

	@AfterEach
	void stop() {
		this.completions.shutdownNow();
	}

	@Test
	void whatFollowsAnAcknowledgementRunsOnTheCompletionExecutorNotOnTheAcknowledgingThread() {
		LaneProducer lane = new LaneProducer(this.producer, this.completions);

		CompletableFuture<String> completedOn = lane.send(RECORD)
			.thenApply((metadata) -> Thread.currentThread().getName());
		// The thread that acknowledges stands for the producer's network thread.
		this.producer.completeNext();

		assertThat(completedOn.join()).isEqualTo("completion-under-test");
		assertThat(this.producer.history()).containsExactly(RECORD);
	}

	@Test
	void aWriteKafkaRefusesFailsItsFuture() {
		LaneProducer lane = new LaneProducer(this.producer, this.completions);

		CompletableFuture<RecordMetadata> sent = lane.send(RECORD);
		this.producer.errorNext(new NotEnoughReplicasException("too few in sync"));

		assertThat(sent).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.withCauseInstanceOf(NotEnoughReplicasException.class);
	}

	@Test
	void aRecordTheProducerRefusesAtOnceFailsTheFutureRatherThanThrowing() {
		this.producer.close();
		LaneProducer lane = new LaneProducer(this.producer, this.completions);

		assertThat(lane.send(RECORD)).isCompletedExceptionally();
	}

	@Test
	void theProducerIsMadeOnTheFirstSendOnlyAndNeverForALaneNobodyWritesTo() {
		AtomicInteger made = new AtomicInteger();
		LaneProducer unused = new LaneProducer(() -> {
			made.incrementAndGet();
			return this.producer;
		}, this.completions);
		unused.close(Duration.ZERO);
		assertThat(made).hasValue(0);

		LaneProducer used = new LaneProducer(() -> {
			made.incrementAndGet();
			return this.producer;
		}, this.completions);
		used.send(RECORD);
		used.send(RECORD);

		assertThat(made).hasValue(1);
		assertThat(this.producer.history()).hasSize(2);
	}

	@Test
	void aSendAfterCloseFailsIntoTheFailureChainWithoutMakingAProducer() {
		AtomicInteger made = new AtomicInteger();
		LaneProducer lane = new LaneProducer(() -> {
			made.incrementAndGet();
			return this.producer;
		}, this.completions);
		lane.close(Duration.ZERO);

		assertThat(lane.send(RECORD)).isCompletedExceptionally();
		assertThat(made).hasValue(0);
	}

	@Test
	void acknowledgementsArrivingWhileStoppingAreStillDelivered() {
		LaneProducer lane = new LaneProducer(this.producer, this.completions);
		CompletableFuture<RecordMetadata> sent = lane.send(RECORD);
		this.completions.shutdown();

		this.producer.completeNext();

		assertThat(sent).isCompleted();
	}

}
