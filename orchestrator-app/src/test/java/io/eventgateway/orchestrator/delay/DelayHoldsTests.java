package io.eventgateway.orchestrator.delay;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.kafka.GatewayHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a delay record holds its partition. */
class DelayHoldsTests {

	private static final long NOW = 1_700_000_000_000L;

	private static final long TIER = 10_000;

	private static final TopicPartition PARTITION = new TopicPartition("events.delay.10s", 0);

	private final DelayHolds holds = new DelayHolds((topic) -> topic.equals(PARTITION.topic()) ? TIER : 0);

	@Test
	void aRecordNotDueHoldsItsPartitionUntilItsNotBefore() {
		assertThat(this.holds.mustWait(record(5, NOW), NOW + 4000, NOW)).isTrue();

		assertThat(this.holds.held(NOW + 3999)).containsExactly(PARTITION);
		assertThat(this.holds.nextEnd()).hasValue(NOW + 4000);
		assertThat(this.holds.held(NOW + 4000)).isEmpty();
		assertThat(this.holds.size()).isZero();
	}

	@Test
	void theEarliestDueTimeIsThatOfTheHeldHeadRecords() {
		assertThat(this.holds.earliestDue()).isEqualTo(Long.MAX_VALUE);
		ConsumerRecord<String, byte[]> record = record(5, NOW);
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.DELAY_UNTIL, NOW + 60_000);
		assertThat(this.holds.mustWait(record, NOW + 4000, NOW)).isTrue();

		assertThat(this.holds.earliestDue()).isEqualTo(NOW + 60_000);
		this.holds.held(NOW + 4000);
		assertThat(this.holds.earliestDue()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void aRecordDueAlreadyHoldsNothing() {
		assertThat(this.holds.mustWait(record(5, NOW), NOW, NOW)).isFalse();
		assertThat(this.holds.held(NOW)).isEmpty();
	}

	@Test
	void aFarFutureNotBeforeHoldsAtMostTheTierAfterTheRecordWasWritten() {
		assertThat(this.holds.mustWait(record(5, NOW - 3000), Long.MAX_VALUE, NOW)).isTrue();

		assertThat(this.holds.nextEnd()).hasValue(NOW - 3000 + TIER);
	}

	@Test
	void aFutureTimestampHoldsAtMostTheTierAfterTheHoldBegan() {
		assertThat(this.holds.mustWait(record(5, Long.MAX_VALUE), Long.MAX_VALUE, NOW)).isTrue();

		assertThat(this.holds.nextEnd()).hasValue(NOW + TIER);
	}

	@Test
	void aRecordWhoseHoldEndedIsForwardedWhenReadAgainWhateverItsHeaderSays() {
		this.holds.mustWait(record(5, NOW), Long.MAX_VALUE, NOW);
		this.holds.held(NOW + TIER);

		assertThat(this.holds.mustWait(record(5, NOW), Long.MAX_VALUE, NOW + TIER)).isFalse();
		// Only once: the next record with such a header is held again.
		assertThat(this.holds.mustWait(record(6, NOW + TIER), Long.MAX_VALUE, NOW + TIER)).isTrue();
	}

	@Test
	void aRecordOlderThanItsTierIsNotHeld() {
		assertThat(this.holds.mustWait(record(5, NOW - TIER), NOW + 1, NOW)).isFalse();
	}

	@Test
	void aTopicWithoutATierNeverHolds() {
		ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("events.p30", 0, 1, NOW, TimestampType.CREATE_TIME,
				0, 0, null, new byte[0], new RecordHeaders(), Optional.empty());

		assertThat(this.holds.mustWait(record, NOW + 1000, NOW)).isFalse();
	}

	@Test
	void aReleasedOrForgottenPartitionIsNoLongerHeld() {
		this.holds.mustWait(record(5, NOW), NOW + 1000, NOW);
		this.holds.release(PARTITION);
		assertThat(this.holds.held(NOW)).isEmpty();

		this.holds.mustWait(record(5, NOW), NOW + 1000, NOW);
		this.holds.forget(List.of(PARTITION));
		assertThat(this.holds.held(NOW)).isEmpty();
		assertThat(this.holds.nextEnd()).isEmpty();
	}

	private static ConsumerRecord<String, byte[]> record(long offset, long timestamp) {
		return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, timestamp,
				TimestampType.CREATE_TIME, 0, 0, null, new byte[0], new RecordHeaders(), Optional.empty());
	}

}
