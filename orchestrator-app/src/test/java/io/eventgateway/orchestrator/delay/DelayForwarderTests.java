package io.eventgateway.orchestrator.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopHeartbeat;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopState;
import io.eventgateway.orchestrator.retry.ForeignRecord;
import io.eventgateway.orchestrator.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The forwarder's loop against Kafka's {@link MockConsumer} and {@link MockProducer}:
 * holds, forwarding, dead letters, commits only of acknowledged writes, and failed writes
 * read again.
 */
class DelayForwarderTests {

	private static final TopicLayout TOPICS = new TopicLayout("events", 3,
			List.of(Duration.ofSeconds(1), Duration.ofSeconds(10)));

	private static final TopicPartition TIER_10S = new TopicPartition("events.delay.10s", 0);

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** Every offset ever committed; MockConsumer forgets its commits on close. */
	private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();

	private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {

		@Override
		public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
			super.commitSync(offsets, timeout);
			offsets.forEach((partition, offset) -> DelayForwarderTests.this.commits.put(partition, offset.offset()));
		}

		@Override
		public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
				OffsetCommitCallback callback) {
			super.commitAsync(offsets, callback);
			offsets.forEach((partition, offset) -> DelayForwarderTests.this.commits.put(partition, offset.offset()));
		}

	};

	/** Writes are acknowledged only when a test says so. */
	private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
			new ByteArraySerializer());

	private final List<ForeignRecord> deadLettered = new CopyOnWriteArrayList<>();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final LoopHeartbeat heartbeat = LoopMonitor.standalone(this.clock)
		.register("delay-test", () -> Duration.ofMinutes(2));

	private final DelayStats stats = new DelayStats();

	private Duration commitInterval = Duration.ZERO;

	private DelayForwarder loop;

	private Thread thread;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.loop != null) {
			this.loop.stop();
			this.thread.join(10_000);
		}
	}

	@Test
	void aDueRecordGoesToItsDestinationAsItWasAndIsCommittedOnceAcknowledged() {
		long now = this.clock.millis();
		ConsumerRecord<String, byte[]> record = delay(TIER_10S, 0, now - 10_000, now - 1, "events.p30");
		record.headers().add("custom", "kept".getBytes(StandardCharsets.UTF_8));
		start(List.of(record));

		await().atMost(WAIT).until(() -> this.producer.history().size() == 1);
		ProducerRecord<String, byte[]> forwarded = this.producer.history().get(0);
		assertThat(forwarded.topic()).isEqualTo("events.p30");
		assertThat(forwarded.key()).isEqualTo("company-1");
		assertThat(forwarded.value()).isEqualTo(record.value());
		assertThat(forwarded.timestamp()).isEqualTo(now);
		assertThat(forwarded.headers().lastHeader("custom").value()).isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
		assertThat(forwarded.headers().lastHeader(GatewayHeaders.NOT_BEFORE)).isNull();
		assertThat(forwarded.headers().lastHeader(GatewayHeaders.DELAY_UNTIL)).isNull();
		assertThat(forwarded.headers().lastHeader(GatewayHeaders.DELAYED_TO)).isNull();
		// Not acknowledged yet: nothing is committed.
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !this.commits.containsKey(TIER_10S));

		this.producer.completeNext();

		await().atMost(WAIT).until(() -> this.commits.getOrDefault(TIER_10S, -1L) == 1);
		assertThat(this.stats.forwardedCount(DelayOutcome.DUE)).isEqualTo(1);
	}

	@Test
	void aRecordNotDueHoldsItsPartitionSetBackToItUntilItsNotBefore() {
		long now = this.clock.millis();
		start(List.of(delay(TIER_10S, 0, now, now - 1, "events.p20"), delay(TIER_10S, 1, now, now + 5000, "events.p20"),
				delay(TIER_10S, 2, now, now + 5000, "events.p20")));

		await().atMost(WAIT).until(() -> this.consumer.paused().contains(TIER_10S));
		assertThat(this.consumer.position(TIER_10S)).isEqualTo(1);
		assertThat(this.producer.history()).hasSize(1);
		assertThat(this.stats.heldPartitions()).isEqualTo(1);
		this.producer.completeNext();
		await().atMost(WAIT).until(() -> this.commits.getOrDefault(TIER_10S, -1L) == 1);

		this.clock.advance(Duration.ofMillis(5000));
		// The broker returns the held records again from the position set back.
		this.consumer.schedulePollTask(() -> {
			this.consumer.addRecord(delay(TIER_10S, 1, now, now + 5000, "events.p20"));
			this.consumer.addRecord(delay(TIER_10S, 2, now, now + 5000, "events.p20"));
		});

		await().atMost(WAIT).until(() -> this.producer.history().size() == 3);
		assertThat(this.producer.history()).extracting(ProducerRecord::topic).containsOnly("events.p20");
		assertThat(this.consumer.paused()).isEmpty();
		this.producer.completeNext();
		this.producer.completeNext();
		await().atMost(WAIT).until(() -> this.commits.getOrDefault(TIER_10S, -1L) == 3);
	}

	@Test
	void aRecordNotDueWhoseTierEndedMovesToTheTierOfItsRemainingTime() {
		long now = this.clock.millis();
		// Written 10s ago to the 10s tier, due in 3s: its hold is over.
		start(List.of(delay(TIER_10S, 0, now - 10_000, now + 3000, "events.offload")));

		await().atMost(WAIT).until(() -> this.producer.history().size() == 1);
		ProducerRecord<String, byte[]> moved = this.producer.history().get(0);
		assertThat(moved.topic()).isEqualTo("events.delay.1s");
		assertThat(GatewayHeaders.getLong(moved.headers(), GatewayHeaders.NOT_BEFORE, 0)).isEqualTo(now + 1000);
		assertThat(moved.headers().headers(GatewayHeaders.NOT_BEFORE)).hasSize(1);
		assertThat(GatewayHeaders.getLong(moved.headers(), GatewayHeaders.DELAY_UNTIL, 0)).isEqualTo(now + 3000);
		assertThat(GatewayHeaders.getString(moved.headers(), GatewayHeaders.DELAYED_TO)).isEqualTo("events.offload");
		this.producer.completeNext();
		await().atMost(WAIT).until(() -> this.stats.forwardedCount(DelayOutcome.NEXT_TIER) == 1);
	}

	@Test
	void aBadRecordIsDeadLetteredAloneAndTheNextOneForwarded() {
		long now = this.clock.millis();
		ConsumerRecord<String, byte[]> bad = delay(TIER_10S, 0, now, now - 1, "events.retry.1");
		start(List.of(bad, delay(TIER_10S, 1, now, now - 1, "events.p10")));

		await().atMost(WAIT).until(() -> this.producer.history().size() == 1);
		assertThat(this.producer.history().get(0).topic()).isEqualTo("events.p10");
		assertThat(this.deadLettered).singleElement().satisfies((letter) -> {
			assertThat(letter.position().offset()).isZero();
			assertThat(letter.reason()).contains("'events.retry.1' is not a priority or offload topic");
		});
		this.producer.completeNext();
		await().atMost(WAIT).until(() -> this.commits.getOrDefault(TIER_10S, -1L) == 2);
		assertThat(this.stats.forwardedCount(DelayOutcome.DEAD_LETTER)).isEqualTo(1);
	}

	@Test
	void aFailedWriteCommitsNothingPastItAndItsPartitionIsReadAgainFromIt() {
		long now = this.clock.millis();
		start(List.of(delay(TIER_10S, 0, now, now - 1, "events.p30"), delay(TIER_10S, 1, now, now - 1, "events.p30"),
				delay(TIER_10S, 2, now, now - 1, "events.p30")));
		await().atMost(WAIT).until(() -> this.producer.history().size() == 3);

		this.producer.completeNext();
		this.producer.errorNext(new NotEnoughReplicasException("not enough replicas"));
		// A later write of the partition succeeds: still nothing past the failure.
		this.producer.completeNext();

		await().atMost(WAIT).until(() -> this.stats.writeFailures() == 1);
		assertThat(this.heartbeat.state()).isEqualTo(LoopState.FAILING);
		assertThat(this.heartbeat.lastError()).isEqualTo("DelayWriteException");
		await().atMost(WAIT).until(() -> this.consumer.position(TIER_10S) == 1);
		await().atMost(WAIT).until(() -> this.commits.getOrDefault(TIER_10S, -1L) == 1);

		// Kept failing past the loop's stall limit: liveness turns DOWN.
		this.clock.advance(Duration.ofMinutes(3));
		assertThat(this.heartbeat.state()).isEqualTo(LoopState.STALLED);

		// After its back-off the partition is read again from the failed record.
		this.consumer.schedulePollTask(() -> {
			this.consumer.addRecord(delay(TIER_10S, 1, now, now - 1, "events.p30"));
			this.consumer.addRecord(delay(TIER_10S, 2, now, now - 1, "events.p30"));
		});
		await().atMost(WAIT).until(() -> this.producer.history().size() == 5);
		this.producer.completeNext();
		this.producer.completeNext();
		await().atMost(WAIT).until(() -> this.commits.getOrDefault(TIER_10S, -1L) == 3);
		await().atMost(WAIT).until(() -> this.heartbeat.state() == LoopState.RUNNING);
	}

	@Test
	void writesInFlightAtStopAreAwaitedAndCommitted() throws InterruptedException {
		// No timed commit: only the final one can commit anything.
		this.commitInterval = Duration.ofHours(1);
		long now = this.clock.millis();
		start(List.of(delay(TIER_10S, 0, now, now - 1, "events.p30")));
		await().atMost(WAIT).until(() -> this.producer.history().size() == 1);

		this.loop.stop();
		// Waiting for the write in flight before its final commit.
		await().atMost(WAIT).until(() -> this.thread.getState() == Thread.State.TIMED_WAITING);
		this.producer.completeNext();
		this.thread.join(10_000);

		assertThat(this.commits).containsEntry(TIER_10S, 1L);
		assertThat(this.producer.closed()).isTrue();
	}

	@Test
	void aTierNoLongerConfiguredIsStillReadItsRecordsHeldAtMostTheSecondsInItsName() {
		// Left by a configuration with a 30s tier: read by the pattern, held at most 30s.
		TopicPartition removedTier = new TopicPartition("events.delay.30s", 0);
		long now = this.clock.millis();
		start(removedTier, List.of(delay(removedTier, 0, now - 25_000, now - 1, "events.p30"),
				delay(removedTier, 1, now - 25_000, now + 20_000, "events.p20")));

		await().atMost(WAIT).until(() -> this.producer.history().size() == 1);
		assertThat(this.producer.history().get(0).topic()).isEqualTo("events.p30");
		this.producer.completeNext();
		// Held until 30s after its timestamp, not until its gateway-not-before.
		this.clock.advance(Duration.ofSeconds(4));
		await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> this.producer.history().size() == 1);

		this.clock.advance(Duration.ofSeconds(1));
		// The broker returns the held record again from the position set back.
		this.consumer.schedulePollTask(
				() -> this.consumer.addRecord(delay(removedTier, 1, now - 25_000, now + 20_000, "events.p20")));

		await().atMost(WAIT).until(() -> this.producer.history().size() == 2);
		ProducerRecord<String, byte[]> next = this.producer.history().get(1);
		// Not due: on to the current tier of its remaining 15s.
		assertThat(next.topic()).isEqualTo("events.delay.10s");
		assertThat(GatewayHeaders.getLong(next.headers(), GatewayHeaders.NOT_BEFORE, 0)).isEqualTo(now + 15_000);
		assertThat(GatewayHeaders.getString(next.headers(), GatewayHeaders.DELAYED_TO)).isEqualTo("events.p20");
		this.producer.completeNext();
		await().atMost(WAIT).until(() -> this.commits.getOrDefault(removedTier, -1L) == 2);
	}

	private void start(List<ConsumerRecord<String, byte[]>> records) {
		start(TIER_10S, records);
	}

	private void start(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
		this.consumer.updateBeginningOffsets(Map.of(partition, 0L));
		this.consumer.schedulePollTask(() -> {
			this.consumer.rebalance(List.of(partition));
			records.forEach(this.consumer::addRecord);
		});
		this.loop = new DelayForwarder(this.consumer, this.producer, (record) -> {
			this.deadLettered.add(record);
			return CompletableFuture.completedFuture(null);
		}, TOPICS, new DelayRouting(TOPICS, Duration.ofDays(7)), this.clock,
				new DelayForwarder.Settings(Duration.ofMillis(5), this.commitInterval), this.heartbeat, this.stats);
		this.thread = new Thread(this.loop, "delay-test");
		this.heartbeat.started();
		this.thread.start();
	}

	private static ConsumerRecord<String, byte[]> delay(TopicPartition partition, long offset, long timestamp, long due,
			String destination) {
		RecordHeaders headers = new RecordHeaders();
		GatewayHeaders.putLong(headers, GatewayHeaders.NOT_BEFORE, due);
		GatewayHeaders.putLong(headers, GatewayHeaders.DELAY_UNTIL, due);
		GatewayHeaders.putString(headers, GatewayHeaders.DELAYED_TO, destination);
		return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, timestamp,
				TimestampType.CREATE_TIME, 0, 0, "company-1", ("event-" + offset).getBytes(StandardCharsets.UTF_8),
				headers, Optional.empty());
	}

}
