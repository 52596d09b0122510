package io.eventgateway.orchestrator.intake;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.kafka.GatewayHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class RetryHoldsTests {

	private static final long NOW = 1_800_000_000_000L;

	private static final long LEVEL_DELAY = 5_000;

	private static final TopicPartition RETRY_0 = new TopicPartition("events.retry.1", 0);

	private final RetryHolds holds = new RetryHolds(
			(topic) -> Map.of("events.retry.1", LEVEL_DELAY).getOrDefault(topic, 0L));

	@Test
	void aRecordNotDueYetHoldsItsPartitionUntilItIsDue() {
		assertThat(this.holds.mustWait(record("events.retry.1", 7, NOW, notBefore(NOW + 2_000)), NOW)).isTrue();

		assertThat(this.holds.held(NOW + 1_999)).containsExactly(RETRY_0);
		assertThat(this.holds.held(NOW + 2_000)).isEmpty();
	}

	@Test
	void aFarFutureNotBeforeHoldsAtMostTheLevelDelayFromTheRecordTimestamp() {
		long written = NOW - 1_000;
		assertThat(this.holds.mustWait(record("events.retry.1", 7, written, notBefore(Long.MAX_VALUE)), NOW)).isTrue();

		assertThat(this.holds.held(written + LEVEL_DELAY - 1)).containsExactly(RETRY_0);
		assertThat(this.holds.held(written + LEVEL_DELAY)).isEmpty();
		// Read again after its hold ended: served, whatever the header says.
		assertThat(this.holds.mustWait(record("events.retry.1", 7, written, notBefore(Long.MAX_VALUE)),
				written + LEVEL_DELAY))
			.isFalse();
	}

	@Test
	void aFutureTimestampHoldsAtMostTheLevelDelayFromNow() {
		assertThat(this.holds.mustWait(record("events.retry.1", 3, Long.MAX_VALUE, notBefore(Long.MAX_VALUE)), NOW))
			.isTrue();

		assertThat(this.holds.held(NOW + LEVEL_DELAY)).isEmpty();
	}

	@Test
	void aGarbageNotBeforeHeaderIsServedAtOnce() {
		RecordHeaders headers = new RecordHeaders();
		headers.add(GatewayHeaders.NOT_BEFORE, new byte[] { 1, 2, 3 });

		assertThat(this.holds.mustWait(record("events.retry.1", 7, NOW, headers), NOW)).isFalse();
		assertThat(this.holds.size()).isZero();
	}

	@Test
	void recordsOfPriorityTopicsAreNeverHeld() {
		assertThat(this.holds.mustWait(record("events.p30", 7, NOW, notBefore(NOW + 60_000)), NOW)).isFalse();
	}

	@Test
	void forgottenPartitionsAreNoLongerHeld() {
		this.holds.mustWait(record("events.retry.1", 7, NOW, notBefore(NOW + 2_000)), NOW);

		this.holds.forget(java.util.List.of(RETRY_0));

		assertThat(this.holds.held(NOW)).isEmpty();
	}

	private static RecordHeaders notBefore(long millis) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(GatewayHeaders.NOT_BEFORE, ByteBuffer.allocate(Long.BYTES).putLong(millis).array());
		return headers;
	}

	private static ConsumerRecord<String, byte[]> record(String topic, long offset, long timestamp,
			RecordHeaders headers) {
		return new ConsumerRecord<>(topic, 0, offset, timestamp, TimestampType.CREATE_TIME, 0, 0, "k", new byte[1],
				headers, Optional.empty());
	}

}
