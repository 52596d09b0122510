package io.eventgateway.publisher.failure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PriorityLevel;
import io.eventgateway.publisher.failure.UnusableRecordException.Reason;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.LaneProducer;
import io.eventgateway.publisher.produce.ProducerSettings;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the processor refuses before it writes anything, what it writes, and how its
 * settings bound the container. Its producers point at a closed loopback port unless a
 * test gives it mocks: a test that reached a write would otherwise fail.
 */
class FailedWritesProcessorTests {

	private static final FailedWritesProcessor.Settings SETTINGS = new FailedWritesProcessor.Settings(4,
			Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(30));

	@TempDir
	Path spoolDirectory;

	private ClusterProducers nowhere;

	@AfterEach
	void close() {
		if (this.nowhere != null) {
			this.nowhere.close();
		}
	}

	@Test
	void aRepublishedEventGetsItsOrderingHeadersFromTheEventItself() throws Exception {
		MockProducer<String, byte[]> p20 = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer());
		Map<Lane, LaneProducer> lanes = new java.util.EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			lanes.put(lane, new LaneProducer((lane == Lane.P20) ? p20 : new MockProducer<>(), Runnable::run));
		}
		FailedWritesProcessor processor = new FailedWritesProcessor(ClusterProducers.of("primary", lanes),
				new LaneProducer(new MockProducer<>(), Runnable::run), "events.failed-writes.parked",
				Set.of("events.p20"), new DirectorySpool(this.spoolDirectory), SETTINGS);
		Event event = TestEvents.event("old-1", "acme", Priority.P20);
		// As an older version wrote it: no ordering headers.
		ConsumerRecord<String, byte[]> record = record(event.toByteArray(), "events.p20");

		processor.republish(record);

		assertThat(p20.history()).singleElement().satisfies((republished) -> {
			assertThat(republished.topic()).isEqualTo("events.p20");
			assertThat(republished.value()).isEqualTo(record.value());
			assertThat(GatewayHeaders.getString(republished.headers(), GatewayHeaders.EVENT_ID)).isEqualTo("old-1");
			assertThat(GatewayHeaders.getLong(republished.headers(), GatewayHeaders.PRIORITY, -1)).isEqualTo(20);
			assertThat(GatewayHeaders.getEpochNanos(republished.headers(), GatewayHeaders.SLO_DEADLINE)).isNotNull();
			assertThat(GatewayHeaders.getEpochNanos(republished.headers(), GatewayHeaders.INGESTED_AT)).isNotNull();
			assertThat(republished.headers().lastHeader(GatewayHeaders.INTENDED_TOPIC)).isNull();
		});
		assertThat(processor.republishedCount()).isEqualTo(1);
	}

	@Test
	void aTombstoneIsUnusable() throws Exception {
		assertReason(record(null, "events.p30"), Reason.TOMBSTONE);
	}

	@Test
	void anEmptyValueIsUnusable() throws Exception {
		assertReason(record(new byte[0], "events.p30"), Reason.EMPTY_VALUE);
	}

	@Test
	void bytesThatAreNotAnEventAreUnusable() throws Exception {
		assertReason(record(new byte[] { (byte) 0xff, 0x00, 0x13, 0x37 }, "events.p30"), Reason.NOT_AN_EVENT);
	}

	@Test
	void anEventWithoutPriorityIsUnusable() throws Exception {
		Event unclassified = TestEvents.event("e", "acme", Priority.P30)
			.toBuilder()
			.setPriorityLevel(PriorityLevel.PRIORITY_LEVEL_UNSPECIFIED)
			.build();
		assertReason(record(unclassified.toByteArray(), "events.p30"), Reason.NOT_AN_EVENT);
	}

	@Test
	void aMissingOrBlankIntendedTopicIsUnusable() throws Exception {
		byte[] event = TestEvents.event("e", "acme", Priority.P30).toByteArray();
		assertReason(record(event, null), Reason.MISSING_INTENDED_TOPIC);
		assertReason(record(event, " "), Reason.MISSING_INTENDED_TOPIC);
	}

	@Test
	void anIntendedTopicThePublisherNeverWritesToIsUnusable() throws Exception {
		assertReason(record(TestEvents.event("e", "acme", Priority.P30).toByteArray(), "events.dlq"),
				Reason.UNKNOWN_INTENDED_TOPIC);
	}

	@Test
	void theBackOffAllowsMaxAttemptsGrowingToTheMaximumWait() {
		BackOffExecution execution = SETTINGS.backOff().start();

		assertThat(execution.nextBackOff()).isEqualTo(100);
		assertThat(execution.nextBackOff()).isEqualTo(200);
		assertThat(execution.nextBackOff()).isEqualTo(250);
		assertThat(execution.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void aPollHandsOutNoMoreRecordsThanFitInThePollIntervalAtTheWorstWriteTime() {
		assertThat(SETTINGS.maxPollRecords(Duration.ofMinutes(5))).isEqualTo(5);
		assertThat(SETTINGS.maxPollRecords(Duration.ofSeconds(10))).isEqualTo(1);
		assertThat(new FailedWritesProcessor.Settings(1, Duration.ZERO, Duration.ZERO, Duration.ofMillis(10))
			.maxPollRecords(Duration.ofMinutes(5))).isEqualTo(500);
	}

	@Test
	void anUnusableRecordTooLargeToParkWholeIsParkedWithoutItsValue() throws Exception {
		// Refuses any record with a value, as a producer refuses one over its request
		// limit.
		MockProducer<String, byte[]> parking = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer()) {

			@Override
			public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
					ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
				if (record.value() != null) {
					throw new RecordTooLargeException("over max.request.size");
				}
				return super.send(record, callback);
			}

			@Override
			public void close(Duration timeout) {
			}

		};
		FailedWritesProcessor processor = processor(new LaneProducer(parking, Runnable::run));
		ConsumerRecord<String, byte[]> record = record(new byte[] { (byte) 0xff, 0x00 }, "events.p30");

		processor.recover(record, new UnusableRecordException(Reason.NOT_AN_EVENT, "not an event"));

		assertThat(parking.history()).singleElement().satisfies((parked) -> {
			assertThat(parked.value()).isNull();
			assertThat(GatewayHeaders.getLong(parked.headers(), GatewayHeaders.ORIGINAL_OFFSET, -1)).isEqualTo(7);
			assertThat(GatewayHeaders.getString(parked.headers(), GatewayHeaders.VALUE_DROPPED)).isNotBlank();
		});
		assertThat(processor.parkedCount(Reason.NOT_AN_EVENT)).isEqualTo(1);
	}

	private void assertReason(ConsumerRecord<String, byte[]> record, Reason reason) throws Exception {
		FailedWritesProcessor processor = processor();
		assertThatExceptionOfType(UnusableRecordException.class).isThrownBy(() -> processor.republish(record))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(reason));
		assertThat(processor.republishedCount()).isZero();
	}

	@Test
	void aFailedDelayWriteNotYetDueGoesToTheTierForTheTimeLeftFromItsHeaders() throws Exception {
		Instant now = Instant.parse("2026-03-01T12:00:00Z");
		MockProducer<String, byte[]> p10 = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer());
		FailedWritesProcessor processor = delayProcessor(Lane.P10, p10, now);
		Instant due = now.plus(Duration.ofMinutes(30));
		// The event's not_before is overruled by the headers of the write that failed.
		Event event = TestEvents.event("delayed-1", "acme", Priority.P10)
			.toBuilder()
			.setNotBefore(ProtoTime.timestamp(now))
			.build();
		ConsumerRecord<String, byte[]> record = record(event.toByteArray(), "events.delay.60s");
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.NOT_BEFORE, now.minusSeconds(1).toEpochMilli());
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.DELAY_UNTIL, due.toEpochMilli());
		GatewayHeaders.putString(record.headers(), GatewayHeaders.DELAYED_TO, "events.offload");

		processor.republish(record);

		assertThat(p10.history()).singleElement().satisfies((republished) -> {
			assertThat(republished.topic()).isEqualTo("events.delay.600s");
			assertThat(republished.value()).isEqualTo(record.value());
			assertThat(GatewayHeaders.getString(republished.headers(), GatewayHeaders.EVENT_ID)).isEqualTo("delayed-1");
			assertThat(GatewayHeaders.getLong(republished.headers(), GatewayHeaders.NOT_BEFORE, -1))
				.isEqualTo(now.plus(Duration.ofMinutes(10)).toEpochMilli());
			assertThat(GatewayHeaders.getLong(republished.headers(), GatewayHeaders.DELAY_UNTIL, -1))
				.isEqualTo(due.toEpochMilli());
			assertThat(GatewayHeaders.getString(republished.headers(), GatewayHeaders.DELAYED_TO))
				.isEqualTo("events.offload");
			assertThat(republished.headers().headers(GatewayHeaders.NOT_BEFORE)).hasSize(1);
			assertThat(republished.headers().lastHeader(GatewayHeaders.INTENDED_TOPIC)).isNull();
		});
	}

	@Test
	void aFailedDelayWriteAlreadyDueGoesToItsDestinationWithoutDelayHeaders() throws Exception {
		Instant now = Instant.parse("2026-03-01T12:00:00Z");
		MockProducer<String, byte[]> p30 = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer());
		FailedWritesProcessor processor = delayProcessor(Lane.P30, p30, now);
		Event event = TestEvents.event("delayed-2", "acme", Priority.P30)
			.toBuilder()
			.setNotBefore(ProtoTime.timestamp(now.minusSeconds(3)))
			.build();

		processor.republish(record(event.toByteArray(), "events.delay.10s"));

		assertThat(p30.history()).singleElement().satisfies((republished) -> {
			assertThat(republished.topic()).isEqualTo("events.p30");
			assertThat(republished.headers().lastHeader(GatewayHeaders.NOT_BEFORE)).isNull();
			assertThat(republished.headers().lastHeader(GatewayHeaders.DELAY_UNTIL)).isNull();
			assertThat(republished.headers().lastHeader(GatewayHeaders.DELAYED_TO)).isNull();
		});
	}

	@Test
	void aFailedWriteForATierNoLongerConfiguredIsRoutedOnTheCurrentTiers() throws Exception {
		Instant now = Instant.parse("2026-03-01T12:00:00Z");
		MockProducer<String, byte[]> p30 = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer());
		FailedWritesProcessor processor = delayProcessor(Lane.P30, p30, now);
		Instant due = now.plusSeconds(25);
		Event event = TestEvents.event("delayed-3", "acme", Priority.P30)
			.toBuilder()
			.setNotBefore(ProtoTime.timestamp(due))
			.build();

		processor.republish(record(event.toByteArray(), "events.delay.30s"));

		assertThat(p30.history()).singleElement().satisfies((republished) -> {
			assertThat(republished.topic()).isEqualTo("events.delay.10s");
			assertThat(GatewayHeaders.getLong(republished.headers(), GatewayHeaders.NOT_BEFORE, -1))
				.isEqualTo(now.plusSeconds(10).toEpochMilli());
			assertThat(GatewayHeaders.getLong(republished.headers(), GatewayHeaders.DELAY_UNTIL, -1))
				.isEqualTo(due.toEpochMilli());
			assertThat(GatewayHeaders.getString(republished.headers(), GatewayHeaders.DELAYED_TO))
				.isEqualTo("events.p30");
		});
		assertThat(processor.parkedCount(Reason.UNKNOWN_INTENDED_TOPIC)).isZero();
	}

	private FailedWritesProcessor delayProcessor(Lane lane, MockProducer<String, byte[]> producer, Instant now)
			throws Exception {
		Map<Lane, LaneProducer> lanes = new java.util.EnumMap<>(Lane.class);
		for (Lane each : Lane.values()) {
			lanes.put(each, new LaneProducer((each == lane) ? producer : new MockProducer<>(), Runnable::run));
		}
		return new FailedWritesProcessor(ClusterProducers.of("primary", lanes),
				new LaneProducer(new MockProducer<>(), Runnable::run), "events.failed-writes.parked",
				Set.of("events.p30", "events.p20", "events.p10", "events.offload"),
				new DirectorySpool(this.spoolDirectory), SETTINGS,
				new DelayRouting(TopicLayout.defaults(), Clock.fixed(now, java.time.ZoneOffset.UTC)));
	}

	private FailedWritesProcessor processor() throws Exception {
		return processor(null);
	}

	private FailedWritesProcessor processor(LaneProducer parking) throws Exception {
		ProducerSettings batching = new ProducerSettings(Duration.ZERO, DataSize.ofKilobytes(16), "none");
		this.nowhere = new ClusterProducers("nowhere", Map.of(), "127.0.0.1:1",
				Map.of(Lane.P30, batching, Lane.P20, batching, Lane.P10, batching, Lane.OFFLOAD, batching),
				Runnable::run);
		return new FailedWritesProcessor(this.nowhere, (parking != null) ? parking : this.nowhere.forLane(Lane.P10),
				"events.failed-writes.parked", Set.of("events.p30", "events.p20", "events.p10", "events.offload"),
				new DirectorySpool(this.spoolDirectory), SETTINGS);
	}

	private static ConsumerRecord<String, byte[]> record(byte[] value, String intendedTopic) {
		ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("events.failed-writes", 0, 7, "acme", value);
		if (intendedTopic != null) {
			GatewayHeaders.putString(record.headers(), GatewayHeaders.INTENDED_TOPIC, intendedTopic);
		}
		return record;
	}

}
