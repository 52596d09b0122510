package io.eventgateway.orchestrator.intake;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PendingRecordsTests {

	private static final TopicPartition P0 = new TopicPartition("events.p10", 0);

	private static final TopicPartition P1 = new TopicPartition("events.p10", 1);

	/** What the source's ledger entry would hold: the sum of every change reported. */
	private final AtomicLong charged = new AtomicLong();

	private final PendingRecords pending = new PendingRecords(this.charged::addAndGet);

	@Test
	void recordsBeyondTheLimitWaitForTheNextTakeInOffsetOrder() {
		this.pending.add(records(Map.of(P0, List.of(0L, 1L, 2L))));

		assertThat(offsets(this.pending.take(2, Set.of()))).containsExactly(0L, 1L);
		assertThat(this.pending.size()).isEqualTo(1);
		assertThat(offsets(this.pending.take(2, Set.of()))).containsExactly(2L);
		assertThat(this.pending.isEmpty()).isTrue();
	}

	@Test
	void droppedPartitionsLeaveNothingBehind() {
		this.pending.add(records(Map.of(P0, List.of(0L, 1L), P1, List.of(5L))));

		this.pending.drop(List.of(P0));

		assertThat(offsets(this.pending.take(10, Set.of()))).containsExactly(5L);
		assertThat(this.pending.isEmpty()).isTrue();
	}

	@Test
	void heldPartitionsAreLeftWhereTheyAre() {
		this.pending.add(records(Map.of(P0, List.of(0L, 1L), P1, List.of(5L))));

		assertThat(this.pending.hasTakeable(Set.of(P0))).isTrue();
		assertThat(offsets(this.pending.take(10, Set.of(P0)))).containsExactly(5L);
		assertThat(this.pending.hasTakeable(Set.of(P0))).isFalse();
		assertThat(this.pending.size()).isEqualTo(2);
		assertThat(offsets(this.pending.take(10, Set.of()))).containsExactly(0L, 1L);
	}

	@Test
	void recordsPutBackComeFirstInTheirOrder() {
		this.pending.add(records(Map.of(P0, List.of(0L, 1L, 2L, 3L))));
		List<ConsumerRecord<String, byte[]>> taken = this.pending.take(2, Set.of());

		this.pending.putBack(taken);

		assertThat(this.pending.size()).isEqualTo(4);
		assertThat(offsets(this.pending.take(10, Set.of()))).containsExactly(0L, 1L, 2L, 3L);
	}

	@Test
	void waitingRecordsAreChargedByKeyValueHeadersAndOverhead() {
		org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
		headers.add("h", new byte[3]);
		ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(P0.topic(), P0.partition(), 0, 0L,
				org.apache.kafka.common.record.TimestampType.CREATE_TIME, 2, 100, "ab", new byte[100], headers,
				Optional.<Integer>empty());

		this.pending.add(new ConsumerRecords<>(Map.of(P0, List.of(record)), Map.of()));

		long expected = PendingRecords.RECORD_OVERHEAD_BYTES + 2 + 100 + PendingRecords.HEADER_OVERHEAD_BYTES + 1 + 3;
		assertThat(PendingRecords.bytesOf(record)).isEqualTo(expected);
		assertThat(this.pending.bytes()).isEqualTo(expected);
		assertThat(this.charged).hasValue(expected);
	}

	@Test
	void theChargeRisesWhileRecordsWaitAndFallsToZeroOnceTakenOrDropped() {
		this.pending.add(records(Map.of(P0, List.of(0L, 1L, 2L), P1, List.of(5L))));
		long one = PendingRecords.RECORD_OVERHEAD_BYTES + 1;
		assertThat(this.charged).hasValue(4 * one);

		List<ConsumerRecord<String, byte[]>> taken = this.pending.take(2, Set.of());
		assertThat(this.charged).hasValue(2 * one);

		this.pending.putBack(taken);
		assertThat(this.charged).hasValue(4 * one);

		this.pending.take(3, Set.of(P1));
		assertThat(this.charged).hasValue(one);

		this.pending.drop(List.of(P1));
		assertThat(this.charged).hasValue(0);
		assertThat(this.pending.bytes()).isZero();

		this.pending.add(records(Map.of(P0, List.of(6L), P1, List.of(7L))));
		this.pending.clear();
		assertThat(this.charged).hasValue(0);
		assertThat(this.pending.isEmpty()).isTrue();
	}

	private static ConsumerRecords<String, byte[]> records(Map<TopicPartition, List<Long>> offsets) {
		Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records = new java.util.LinkedHashMap<>();
		offsets.forEach((partition, list) -> records.put(partition,
				list.stream()
					.map((offset) -> new ConsumerRecord<>(partition.topic(), partition.partition(), offset, 0L,
							org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, "k", new byte[0],
							new org.apache.kafka.common.header.internals.RecordHeaders(), Optional.<Integer>empty()))
					.toList()));
		return new ConsumerRecords<>(records, Map.of());
	}

	private static List<Long> offsets(List<ConsumerRecord<String, byte[]>> records) {
		return records.stream().map(ConsumerRecord::offset).toList();
	}

}
