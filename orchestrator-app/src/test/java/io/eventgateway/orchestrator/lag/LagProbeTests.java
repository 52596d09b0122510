package io.eventgateway.orchestrator.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.orchestrator.support.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One {@link LagProbe} round at a time against an in-memory admin client and a consumer
 * whose records carry a timestamp that follows from their offset, so an age read tells
 * which record it came from.
 */
class LagProbeTests {

	private static final String TOPIC = "lag.p10";

	private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

	private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

	/** When the record at offset 0 of every partition was written; one a second after. */
	private static final long WRITTEN_FROM = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

	private final MutableClock clock = new MutableClock(Instant.ofEpochMilli(WRITTEN_FROM).plusSeconds(3600));

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final SourceLagMeters meters = new SourceLagMeters(this.registry, this.clock);

	private final MockAdminClient admin = new MockAdminClient();

	private final ScriptedConsumer consumer = new ScriptedConsumer();

	private LagProbe probe;

	@AfterEach
	void close() {
		if (this.probe != null) {
			this.probe.close();
		}
	}

	@Test
	void stalenessCountsFromStartUntilARoundSucceedsAndFromTheLastOneAfter() throws Exception {
		start(ProbedGroup.of("g", List.of(TOPIC)), 16, 2);
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(staleness()).isEqualTo(30.0);

		committed(P0, 5L, P1, 5L);
		ends(P0, 5L, P1, 5L);
		this.probe.runOnce();
		assertThat(staleness()).isZero();
		this.clock.advance(Duration.ofSeconds(7));
		assertThat(staleness()).isEqualTo(7.0);
	}

	@Test
	void threeFailedRoundsInARowMakeEveryFigureUnknownUntilARoundSucceeds() throws Exception {
		start(ProbedGroup.of("g", List.of(TOPIC)), 16, 2);
		committed(P0, 5L, P1, 10L);
		ends(P0, 8L, P1, 10L);
		this.probe.runOnce();
		assertThat(lag(P0)).isEqualTo(3.0);
		assertThat(age(P0)).isEqualTo(3600.0 - 5);

		this.consumer.metadataFails = true;
		for (int round = 1; round < LagProbe.FAILED_ROUNDS_BEFORE_UNKNOWN; round++) {
			this.clock.advance(Duration.ofSeconds(15));
			assertThatExceptionOfType(TimeoutException.class).isThrownBy(this.probe::runOnce);
			// The last figures, their ages still rising.
			assertThat(lag(P0)).isEqualTo(3.0);
			assertThat(age(P0)).isEqualTo(3600.0 - 5 + 15 * round);
		}
		this.clock.advance(Duration.ofSeconds(15));
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(this.probe::runOnce);
		assertThat(lag(P0)).isNaN();
		assertThat(age(P0)).isNaN();
		assertThat(lag(P1)).isNaN();
		assertThat(age(P1)).isNaN();
		assertThat(staleness()).isEqualTo(45.0);

		this.consumer.metadataFails = false;
		this.probe.runOnce();
		assertThat(lag(P0)).isEqualTo(3.0);
		assertThat(lag(P1)).isZero();
		assertThat(staleness()).isZero();
	}

	@Test
	void aManuallyAssignedGroupWithoutACommitIsUnknownRatherThanBehindByItsLog() throws Exception {
		TopicPartition responses = new TopicPartition(TOPIC, 1);
		start(ProbedGroup.ofPartition("g-responses", TOPIC, 1), 16, 2);
		ends(responses, 40L);
		this.admin.updateBeginningOffsets(Map.of(responses, 0L));
		this.probe.runOnce();
		assertThat(lag(responses)).isNaN();
		assertThat(age(responses)).isNaN();
		assertThat(this.registry.find("gateway.orchestrator.source.lag").tag("partition", "0").gauge()).isNull();

		committed(responses, 38L);
		this.probe.runOnce();
		assertThat(lag(responses)).isEqualTo(2.0);
		assertThat(age(responses)).isEqualTo(3600.0 - 38);
	}

	@Test
	void aSubscribedGroupWithoutACommitCountsFromTheLogStart() throws Exception {
		start(ProbedGroup.of("g", List.of(TOPIC)), 16, 2);
		ends(P0, 40L, P1, 0L);
		this.admin.updateBeginningOffsets(Map.of(P0, 30L, P1, 0L));
		this.probe.runOnce();
		assertThat(lag(P0)).isEqualTo(10.0);
		assertThat(age(P0)).isEqualTo(3600.0 - 30);
	}

	@Test
	void aRefusedReadKeepsTheRoundsLagAndIsReadAgainNextRound() throws Exception {
		start(ProbedGroup.of("g", List.of(TOPIC)), 16, 2);
		committed(P0, 5L, P1, 10L);
		ends(P0, 20L, P1, 10L);
		this.probe.runOnce();
		assertThat(age(P0)).isEqualTo(3600.0 - 5);

		// The commit moves while reads of the topic are refused: the lag is fresh, the
		// age stands on the older record, and the round does not fail.
		committed(P0, 12L, P1, 10L);
		this.consumer.refused.add(TOPIC);
		this.probe.runOnce();
		assertThat(lag(P0)).isEqualTo(8.0);
		assertThat(age(P0)).isEqualTo(3600.0 - 5);
		assertThat(unread("failed")).isEqualTo(1.0);
		assertThat(staleness()).isZero();

		// Not a carried timestamp for good: the next round reads the record at 12.
		this.consumer.refused.clear();
		this.probe.runOnce();
		assertThat(age(P0)).isEqualTo(3600.0 - 12);
	}

	@Test
	void readsBeyondTheBudgetDoNotFailTheRoundAndTheLeastRecentlyReadGoFirst() throws Exception {
		// One partition at a time, and each read takes longer than the whole budget.
		start(ProbedGroup.of("g", List.of(TOPIC)), 1, 2);
		this.consumer.pollTakes = LagProbe.MAX_READ_WAIT.plusSeconds(1);
		ends(P0, 100L, P1, 100L);
		Set<TopicPartition> readInFirstRound = new HashSet<>();
		committed(P0, 1L, P1, 1L);
		this.probe.runOnce();
		for (TopicPartition partition : List.of(P0, P1)) {
			if (!Double.isNaN(age(partition))) {
				readInFirstRound.add(partition);
			}
		}
		assertThat(readInFirstRound).hasSize(1);
		assertThat(unread("budget")).isEqualTo(1.0);

		// Both commits move: the one not read last round goes first.
		committed(P0, 2L, P1, 2L);
		this.probe.runOnce();
		TopicPartition other = readInFirstRound.contains(P0) ? P1 : P0;
		TopicPartition first = readInFirstRound.iterator().next();
		// Two polls, of three seconds each, since the first round.
		assertThat(age(other)).isEqualTo(3600.0 + 6 - 2);
		// Its age stands on the record read last round, an older one.
		assertThat(age(first)).isEqualTo(3600.0 + 6 - 1);
		assertThat(unread("budget")).isEqualTo(2.0);
		assertThat(lag(P0)).isEqualTo(98.0);
		assertThat(lag(P1)).isEqualTo(98.0);
	}

	@Test
	void aGroupReadingByPatternIsProbedOnEveryMatchingTopicOnly() throws Exception {
		Node node = new Node(0, "127.0.0.1", 9092);
		this.consumer.updatePartitions("lag.other",
				List.of(new PartitionInfo("lag.other", 0, node, new Node[] { node }, new Node[] { node })));
		start(ProbedGroup.ofPattern("g-delay", Pattern.compile(Pattern.quote(TOPIC))), 16, 2);
		committed(P0, 5L, P1, 10L);
		ends(P0, 8L, P1, 10L, new TopicPartition("lag.other", 0), 4L);

		this.probe.runOnce();

		assertThat(lag(P0)).isEqualTo(3.0);
		assertThat(lag(P1)).isZero();
		assertThat(this.registry.find("gateway.orchestrator.source.lag").tag("topic", "lag.other").gauge()).isNull();
	}

	private void start(ProbedGroup group, int readsAtOnce, int partitions) {
		Node node = new Node(0, "127.0.0.1", 9092);
		List<PartitionInfo> infos = new ArrayList<>();
		for (int i = 0; i < partitions; i++) {
			infos.add(new PartitionInfo(TOPIC, i, node, new Node[] { node }, new Node[] { node }));
		}
		this.consumer.updatePartitions(TOPIC, infos);
		this.probe = new LagProbe(this.admin, this.consumer, List.of(group), Duration.ofSeconds(15), readsAtOnce,
				this.meters, this.clock, LoopMonitor.standalone(this.clock));
	}

	private void committed(Object... partitionsAndOffsets) {
		this.admin.updateConsumerGroupOffsets(pairs(partitionsAndOffsets));
	}

	private void ends(Object... partitionsAndOffsets) {
		this.admin.updateEndOffsets(pairs(partitionsAndOffsets));
	}

	private static Map<TopicPartition, Long> pairs(Object... partitionsAndOffsets) {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		for (int i = 0; i < partitionsAndOffsets.length; i += 2) {
			offsets.put((TopicPartition) partitionsAndOffsets[i], (Long) partitionsAndOffsets[i + 1]);
		}
		return offsets;
	}

	private double lag(TopicPartition partition) {
		return this.registry.get("gateway.orchestrator.source.lag")
			.tag("topic", partition.topic())
			.tag("partition", Integer.toString(partition.partition()))
			.gauge()
			.value();
	}

	private double age(TopicPartition partition) {
		return this.registry.get("gateway.orchestrator.source.oldest.age")
			.tag("topic", partition.topic())
			.tag("partition", Integer.toString(partition.partition()))
			.gauge()
			.value();
	}

	private double staleness() {
		return this.registry.get("gateway.orchestrator.source.lag.probe.staleness").gauge().value();
	}

	private double unread(String reason) {
		return this.registry.get("gateway.orchestrator.source.lag.probe.unread")
			.tag("reason", reason)
			.counter()
			.count();
	}

	/**
	 * A consumer whose every poll returns one record, as the probe's own consumer does:
	 * the one at the position of the first partition it reads, written {@code offset}
	 * seconds after {@link #WRITTEN_FROM}, unless its topic's reads are refused; each
	 * poll takes {@link #pollTakes} of the test's clock.
	 */
	private final class ScriptedConsumer extends MockConsumer<byte[], byte[]> {

		final Set<String> refused = new HashSet<>();

		volatile boolean metadataFails;

		Duration pollTakes = Duration.ZERO;

		ScriptedConsumer() {
			super("earliest");
		}

		@Override
		public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
			if (this.metadataFails) {
				throw new TimeoutException("no broker answers");
			}
			return super.partitionsFor(topic, timeout);
		}

		@Override
		public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
			for (TopicPartition partition : assignment()) {
				if (this.refused.contains(partition.topic())) {
					throw new TopicAuthorizationException(Set.of(partition.topic()));
				}
			}
			assignment().stream().min(Comparator.comparing(TopicPartition::toString)).ifPresent((partition) -> {
				long offset = position(partition);
				addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset,
						WRITTEN_FROM + offset * 1000, TimestampType.CREATE_TIME, 0, 0, null, null, new RecordHeaders(),
						Optional.empty()));
			});
			LagProbeTests.this.clock.advance(this.pollTakes);
			return super.poll(timeout);
		}

	}

}
