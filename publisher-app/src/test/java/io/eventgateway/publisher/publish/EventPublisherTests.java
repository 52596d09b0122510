package io.eventgateway.publisher.publish;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.proto.v1.PublishResult.Outcome;
import io.eventgateway.publisher.failure.DirectorySpool;
import io.eventgateway.publisher.failure.FailureCapture;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.LaneProducer;
import io.eventgateway.publisher.produce.RolloutProducers;
import io.eventgateway.publisher.route.RolloutRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the publisher writes, on Kafka's {@code MockProducer}: the bytes, the ordering
 * headers and the answers, in order.
 */
class EventPublisherTests {

	private final Map<Lane, MockProducer<String, byte[]>> primary = new EnumMap<>(Lane.class);

	private final Map<Lane, MockProducer<String, byte[]>> fallback = new EnumMap<>(Lane.class);

	@TempDir
	Path spoolDirectory;

	private final Instant now = Instant.now();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private EventPublisher publisher;

	@BeforeEach
	void publisher() throws Exception {
		RolloutRouter router = new RolloutRouter(() -> 0);
		FailureCapture failures = new FailureCapture(producers("fallback", this.fallback, true), "events.failed-writes",
				new DirectorySpool(this.spoolDirectory), Runnable::run, Runnable::run, Duration.ofMinutes(1));
		EventCheck check = new EventCheck(
				new EventCheck.Limits(1024, 10, Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofHours(1)),
				Clock.systemUTC());
		TopicLayout topics = TopicLayout.defaults();
		this.publisher = new EventPublisher(producers("primary", this.primary, true),
				new RolloutProducers((bootstrap) -> null, ""), router, topics,
				new PublishMetrics(this.registry, router, failures, topics.delayTiers()), failures, check,
				EventTracing.OFF, new DelayRouting(topics, Clock.fixed(this.now, ZoneOffset.UTC)));
	}

	@Test
	void anEncodedEventIsWrittenAsTheBytesItCameInWithItsOrderingHeaders() {
		Event event = TestEvents.event("encoded-1", "acme", Priority.P30);
		// Fields out of protobuf's canonical order: encoding the parsed event again would
		// give other bytes.
		byte[] encoded = concat(event.toBuilder().clearEventId().build().toByteArray(),
				Event.newBuilder().setEventId("encoded-1").build().toByteArray());

		List<PublishResult> results = this.publisher.publish(List.of(), List.of(ByteString.copyFrom(encoded))).join();

		assertThat(results).extracting(PublishResult::getEventId, PublishResult::getOutcome, PublishResult::getTopic)
			.containsExactly(tuple("encoded-1", Outcome.ACCEPTED, "events.p30"));
		ProducerRecord<String, byte[]> record = this.primary.get(Lane.P30).history().get(0);
		assertThat(record.value()).isEqualTo(encoded).isNotEqualTo(event.toByteArray());
		assertThat(record.key()).isEqualTo("acme");
		assertOrderingHeaders(record, event);
	}

	@Test
	void anEventGivenDecodedIsWrittenWithItsOrderingHeadersToo() {
		Event event = TestEvents.event("decoded-1", "globex", Priority.P10);

		this.publisher.publish(List.of(event)).join();

		ProducerRecord<String, byte[]> record = this.primary.get(Lane.P10).history().get(0);
		assertThat(record.value()).isEqualTo(event.toByteArray());
		assertOrderingHeaders(record, event);
	}

	@Test
	void resultsComeInRequestOrderAndAnEntryThatIsNotAnEventIsRejectedAlone() {
		Event decoded = TestEvents.event("decoded-1", "acme", Priority.P20);
		Event encoded = TestEvents.event("encoded-1", "acme", Priority.P30);
		Event unclassified = TestEvents.event("unclassified-1", "acme", Priority.P30)
			.toBuilder()
			.clearPriorityLevel()
			.build();
		// A length-delimited field whose length runs past the end.
		ByteString garbage = ByteString.copyFrom(new byte[] { 0x0A, 0x05, 'a' });

		List<PublishResult> results = this.publisher
			.publish(List.of(decoded),
					List.of(encoded.toByteString(), garbage, unclassified.toByteString(), encoded.toByteString()))
			.join();

		assertThat(results).extracting(PublishResult::getEventId, PublishResult::getOutcome)
			.containsExactly(tuple("decoded-1", Outcome.ACCEPTED), tuple("encoded-1", Outcome.ACCEPTED),
					tuple("", Outcome.REJECTED), tuple("unclassified-1", Outcome.REJECTED),
					tuple("encoded-1", Outcome.ACCEPTED));
		assertThat(results.get(2).getError()).startsWith("INVALID_ARGUMENT: encoded_events[1] ");
		assertThat(results.get(3).getError()).startsWith("INVALID_ARGUMENT: priority_level");
		assertThat(this.primary.get(Lane.P30).history()).hasSize(2);
		assertThat(this.primary.get(Lane.P20).history()).hasSize(1);
	}

	@Test
	void aWriteThePrimaryRefusesGoesToTheFailedWritesTopicAsTheSameBytesWithItsOrderingHeaders() throws Exception {
		MockProducer<String, byte[]> refusing = new MockProducer<>(false, null, new StringSerializer(),
				new ByteArraySerializer());
		this.primary.put(Lane.P30, refusing);
		publisher();
		Event event = TestEvents.event("refused-1", "acme", Priority.P30);
		byte[] encoded = event.toByteArray();

		var answer = this.publisher.publish(List.of(), List.of(ByteString.copyFrom(encoded)));
		refusing.errorNext(new TimeoutException("primary unreachable"));

		assertThat(answer.join()).singleElement().satisfies((result) -> {
			assertThat(result.getOutcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(result.getDestination()).isEqualTo(Destination.FAILED_WRITES);
		});
		ProducerRecord<String, byte[]> failedWrite = this.fallback.get(Lane.P30).history().get(0);
		assertThat(failedWrite.topic()).isEqualTo("events.failed-writes");
		assertThat(failedWrite.value()).isEqualTo(encoded);
		assertThat(GatewayHeaders.getString(failedWrite.headers(), GatewayHeaders.INTENDED_TOPIC))
			.isEqualTo("events.p30");
		assertOrderingHeaders(failedWrite, event);
	}

	@Test
	void anEventNotDueYetIsWrittenThroughItsLaneToTheDelayTopicOfItsTierWithItsBytesAndDelayHeaders() {
		Instant due = this.now.plus(Duration.ofMinutes(25));
		Event event = delayed(TestEvents.event("delayed-1", "acme", Priority.P20), due);
		byte[] encoded = event.toByteArray();

		List<PublishResult> results = this.publisher.publish(List.of(), List.of(ByteString.copyFrom(encoded))).join();

		assertThat(results).extracting(PublishResult::getOutcome, PublishResult::getTopic)
			.containsExactly(tuple(Outcome.ACCEPTED, "events.delay.600s"));
		ProducerRecord<String, byte[]> record = this.primary.get(Lane.P20).history().get(0);
		assertThat(record.topic()).isEqualTo("events.delay.600s");
		assertThat(record.key()).isEqualTo("acme");
		assertThat(record.value()).isEqualTo(encoded);
		assertOrderingHeaders(record, event);
		assertDelayHeaders(record, this.now.plus(Duration.ofMinutes(10)), due, "events.p20");
		assertThat(this.registry.get("gateway.publisher.delayed").tag("tier", "600s").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("gateway.publisher.delayed").tag("tier", "1s").counter().count()).isZero();
	}

	@Test
	void anEventDueAlreadyGoesToItsLaneTopicWithoutDelayHeaders() {
		Event event = delayed(TestEvents.event("due-1", "acme", Priority.P30), this.now.minusSeconds(1));

		this.publisher.publish(List.of(event)).join();

		ProducerRecord<String, byte[]> record = this.primary.get(Lane.P30).history().get(0);
		assertThat(record.topic()).isEqualTo("events.p30");
		assertThat(record.headers().lastHeader(GatewayHeaders.NOT_BEFORE)).isNull();
		assertThat(record.headers().lastHeader(GatewayHeaders.DELAY_UNTIL)).isNull();
		assertThat(record.headers().lastHeader(GatewayHeaders.DELAYED_TO)).isNull();
	}

	@Test
	void aRefusedDelayWriteIsMeantForItsDelayTopicAndKeepsItsDelayHeaders() throws Exception {
		MockProducer<String, byte[]> refusing = new MockProducer<>(false, null, new StringSerializer(),
				new ByteArraySerializer());
		this.primary.put(Lane.OFFLOAD, refusing);
		publisher();
		Instant due = this.now.plusSeconds(5);
		Event event = delayed(TestEvents.event("refused-delay-1", "acme", Priority.P10), due).toBuilder()
			.setOffload(true)
			.build();

		var answer = this.publisher.publish(List.of(event));
		refusing.errorNext(new TimeoutException("primary unreachable"));

		assertThat(answer.join()).singleElement()
			.satisfies((result) -> assertThat(result.getDestination()).isEqualTo(Destination.FAILED_WRITES));
		ProducerRecord<String, byte[]> failedWrite = this.fallback.get(Lane.OFFLOAD).history().get(0);
		assertThat(failedWrite.topic()).isEqualTo("events.failed-writes");
		assertThat(GatewayHeaders.getString(failedWrite.headers(), GatewayHeaders.INTENDED_TOPIC))
			.isEqualTo("events.delay.1s");
		assertOrderingHeaders(failedWrite, event);
		assertDelayHeaders(failedWrite, this.now.plusSeconds(1), due, "events.offload");
		assertThat(this.registry.get("gateway.publisher.delayed").tag("tier", "1s").counter().count()).isZero();
	}

	private static Event delayed(Event event, Instant due) {
		return event.toBuilder()
			.setNotBefore(ProtoTime.timestamp(due))
			.setSloDeadline(ProtoTime.timestamp(due.plusSeconds(60)))
			.build();
	}

	private static void assertDelayHeaders(ProducerRecord<String, byte[]> record, Instant holdEnd, Instant due,
			String delayedTo) {
		assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.NOT_BEFORE, -1))
			.isEqualTo(holdEnd.toEpochMilli());
		assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.DELAY_UNTIL, -1))
			.isEqualTo(due.toEpochMilli());
		assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.DELAYED_TO)).isEqualTo(delayedTo);
	}

	private static void assertOrderingHeaders(ProducerRecord<String, byte[]> record, Event event) {
		assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.EVENT_ID)).isEqualTo(event.getEventId());
		assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.PRIORITY, -1))
			.isEqualTo(event.getPriorityLevelValue());
		assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.SLO_DEADLINE))
			.isEqualTo(java.time.Instant.ofEpochSecond(event.getSloDeadline().getSeconds(),
					event.getSloDeadline().getNanos()));
		assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.INGESTED_AT)).isEqualTo(
				java.time.Instant.ofEpochSecond(event.getIngestedAt().getSeconds(), event.getIngestedAt().getNanos()));
	}

	/** One mock per lane (keeping those a test put in place), completing inline. */
	private static ClusterProducers producers(String name, Map<Lane, MockProducer<String, byte[]>> mocks,
			boolean autoComplete) {
		Map<Lane, LaneProducer> lanes = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			MockProducer<String, byte[]> mock = mocks.computeIfAbsent(lane,
					(l) -> new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer()));
			lanes.put(lane, new LaneProducer(mock, Runnable::run));
		}
		return ClusterProducers.of(name, lanes);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
