package io.eventgateway.orchestrator.delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a delay record goes once its hold ended. */
class DelayRoutingTests {

	private static final long NOW = 1_700_000_000_000L;

	private final TopicLayout topics = new TopicLayout("events", 3,
			List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1)));

	private final DelayRouting routing = new DelayRouting(this.topics, Duration.ofDays(7));

	@Test
	void aDueRecordGoesToItsDestination() {
		assertThat(decide(record(NOW, "events.p30"))).isEqualTo(DelayDecision.due("events.p30"));
		assertThat(decide(record(NOW - 5000, "events.offload"))).isEqualTo(DelayDecision.due("events.offload"));
	}

	@Test
	void aRecordNotDueGoesToTheLongestTierWithinItsRemainingTime() {
		DelayDecision decision = decide(record(NOW + 15_000, "events.p20"));

		assertThat(decision.outcome()).isEqualTo(DelayOutcome.NEXT_TIER);
		assertThat(decision.topic()).isEqualTo("events.delay.10s");
		assertThat(decision.notBefore()).isEqualTo(NOW + 10_000);
	}

	@Test
	void aRecordDueSoonerThanTheShortestTierWaitsThereOnlyUntilDue() {
		DelayDecision decision = decide(record(NOW + 400, "events.p10"));

		assertThat(decision.topic()).isEqualTo("events.delay.1s");
		assertThat(decision.notBefore()).isEqualTo(NOW + 400);
	}

	@Test
	void aTombstoneIsDeadLettered() {
		ConsumerRecord<String, byte[]> tombstone = new ConsumerRecord<>("events.delay.1s", 0, 0, 0,
				TimestampType.CREATE_TIME, 0, 0, "key", null, headers(NOW, "events.p30"), java.util.Optional.empty());

		assertThat(problem(tombstone)).contains("tombstone");
	}

	@Test
	void aRecordWithoutOrWithAMalformedDueTimeIsDeadLettered() {
		RecordHeaders withoutDue = new RecordHeaders();
		GatewayHeaders.putString(withoutDue, GatewayHeaders.DELAYED_TO, "events.p30");
		RecordHeaders shortDue = new RecordHeaders();
		shortDue.add(GatewayHeaders.DELAY_UNTIL, new byte[4]);
		GatewayHeaders.putString(shortDue, GatewayHeaders.DELAYED_TO, "events.p30");

		assertThat(problem(record(withoutDue))).contains("without a " + GatewayHeaders.DELAY_UNTIL);
		assertThat(problem(record(shortDue))).contains(GatewayHeaders.DELAY_UNTIL + " is not an 8-byte");
	}

	@Test
	void aRecordWithoutADestinationIsDeadLettered() {
		RecordHeaders headers = new RecordHeaders();
		GatewayHeaders.putLong(headers, GatewayHeaders.DELAY_UNTIL, NOW);

		assertThat(problem(record(headers))).contains("without a " + GatewayHeaders.DELAYED_TO);
	}

	@Test
	void aDestinationThatIsNotAPriorityOrOffloadTopicIsDeadLettered() {
		for (String destination : List.of("events.retry.1", "events.delay.1s", "events.dlq", "other.p30", "")) {
			assertThat(problem(record(NOW, destination))).as(destination)
				.contains(GatewayHeaders.DELAYED_TO + " '" + destination + "' is not a priority or offload topic");
		}
	}

	@Test
	void aLongGarbageDestinationIsShortenedInTheError() {
		String garbage = "x".repeat(10_000);

		assertThat(problem(record(NOW, garbage))).hasSizeLessThan(400);
	}

	@Test
	void aDueTimeBeyondTheRetentionIsDeadLetteredRatherThanMovedOnForEver() {
		assertThat(problem(record(Long.MAX_VALUE, "events.p30"))).contains("beyond the delay topics' retention");
		assertThat(decide(record(NOW + Duration.ofDays(6).toMillis(), "events.p30")).topic())
			.isEqualTo("events.delay.60s");
	}

	@Test
	void aRecordMayLeaveAtItsNotBeforeOrAtItsDueTimeWhicheverIsSooner() {
		RecordHeaders headers = headers(NOW + 100, "events.p30");
		GatewayHeaders.putLong(headers, GatewayHeaders.NOT_BEFORE, NOW + 900);

		assertThat(DelayRouting.notBefore(record(headers))).isEqualTo(NOW + 100);
		assertThat(DelayRouting.notBefore(record(new RecordHeaders()))).isZero();
	}

	private DelayDecision decide(ConsumerRecord<String, byte[]> record) {
		return this.routing.decide(record, NOW);
	}

	private String problem(ConsumerRecord<String, byte[]> record) {
		DelayDecision decision = decide(record);
		assertThat(decision.outcome()).isEqualTo(DelayOutcome.DEAD_LETTER);
		assertThat(decision.topic()).isNull();
		return decision.problem();
	}

	private static RecordHeaders headers(long due, String destination) {
		RecordHeaders headers = new RecordHeaders();
		GatewayHeaders.putLong(headers, GatewayHeaders.DELAY_UNTIL, due);
		GatewayHeaders.putString(headers, GatewayHeaders.DELAYED_TO, destination);
		return headers;
	}

	private static ConsumerRecord<String, byte[]> record(long due, String destination) {
		return record(headers(due, destination));
	}

	private static ConsumerRecord<String, byte[]> record(RecordHeaders headers) {
		return new ConsumerRecord<>("events.delay.10s", 0, 0, NOW, TimestampType.CREATE_TIME, 0, 0, "key",
				"value".getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());
	}

}
