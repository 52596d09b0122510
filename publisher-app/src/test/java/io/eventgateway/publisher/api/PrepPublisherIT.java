package io.eventgateway.publisher.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TopicReader;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishEventsResponse;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.tuple;

/** PublishEvents over real gRPC into a real broker. */
@SpringBootTest(classes = PublisherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=publisher-app", "spring.grpc.server.port=0",
				"gateway.topics.prefix=publish-it", "gateway.topics.partitions=1" })
class PrepPublisherIT {

	@Value("${local.grpc.port}")
	private int grpcPort;

	@Autowired
	private MeterRegistry registry;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
	}

	@Test
	void eachEventLandsOnTheTopicOfItsPriorityKeyedByCompanyAndInvalidOnesAreRejected() {
		Event urgent = TestEvents.event("urgent-1", "acme", Priority.P30);
		Event bulk = TestEvents.event("bulk-1", "globex", Priority.P10);
		Event unclassified = urgent.toBuilder().setEventId("unclassified-1").clearPriorityLevel().build();
		Event offloaded = TestEvents.event("offload-1", "initech", Priority.P10).toBuilder().setOffload(true).build();

		PublishEventsResponse response = publish(List.of(urgent, unclassified, bulk, offloaded));

		assertThat(response.getResultsList())
			.extracting(PublishResult::getEventId, PublishResult::getOutcome, PublishResult::getTopic)
			.containsExactly(tuple("urgent-1", PublishResult.Outcome.ACCEPTED, "publish-it.p30"),
					tuple("unclassified-1", PublishResult.Outcome.REJECTED, ""),
					tuple("bulk-1", PublishResult.Outcome.ACCEPTED, "publish-it.p10"),
					tuple("offload-1", PublishResult.Outcome.ACCEPTED, "publish-it.offload"));
		assertThat(response.getResults(1).getError()).contains("priority_level");

		List<ConsumerRecord<String, byte[]>> p30 = read("publish-it.p30", 1);
		assertThat(p30).singleElement().satisfies((record) -> {
			assertThat(record.key()).isEqualTo("acme");
			assertThat(Event.parseFrom(record.value())).isEqualTo(urgent);
		});
		assertThat(read("publish-it.p10", 1)).extracting(ConsumerRecord::key).contains("globex");
		assertThat(read("publish-it.offload", 1)).singleElement()
			.satisfies((record) -> assertThat(Event.parseFrom(record.value())).isEqualTo(offloaded));
	}

	@Test
	void withTracingOffItsCallsPayForNoObservation() {
		PublishEventsResponse response = publish(List.of(TestEvents.event("unobserved-1", "acme", Priority.P20)));

		assertThat(response.getResultsList()).extracting(PublishResult::getOutcome)
			.containsExactly(PublishResult.Outcome.ACCEPTED);
		// The server observation's timer: a call observed would have made one.
		assertThat(this.registry.find("grpc.server").timers()).isEmpty();
		// The plain timer per method that stands in, recorded once the server's side of
		// the call has closed (which may come after the client has its answer).
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.registry.find("grpc.server.processing.duration")
				.tag("service", PrepPublisherGrpc.SERVICE_NAME)
				.tag("method", "PublishEvents")
				.tag("statusCode", "OK")
				.timer()).isNotNull().satisfies((timer) -> assertThat(timer.count()).isPositive()));
	}

	@Test
	void encodedEventsLandAsTheBytesSentWithOrderingHeadersAfterTheDecodedOnesInTheAnswer() {
		Event decoded = TestEvents.event("decoded-1", "acme", Priority.P20);
		Event encoded = TestEvents.event("encoded-1", "globex", Priority.P20);
		ByteString notAnEvent = ByteString.copyFrom(new byte[] { 0x0A, 0x05, 'a' });

		PublishEventsResponse response = publish(PublishEventsRequest.newBuilder()
			.addEvents(decoded)
			.addEncodedEvents(notAnEvent)
			.addEncodedEvents(encoded.toByteString())
			.build());

		assertThat(response.getResultsList()).extracting(PublishResult::getEventId, PublishResult::getOutcome)
			.containsExactly(tuple("decoded-1", PublishResult.Outcome.ACCEPTED),
					tuple("", PublishResult.Outcome.REJECTED), tuple("encoded-1", PublishResult.Outcome.ACCEPTED));
		assertThat(response.getResults(1).getError()).startsWith("INVALID_ARGUMENT: encoded_events[0] ");
		List<ConsumerRecord<String, byte[]>> p20 = read("publish-it.p20", 2);
		assertThat(p20).extracting(ConsumerRecord::key).containsExactly("acme", "globex");
		assertThat(p20.get(1).value()).isEqualTo(encoded.toByteArray());
		assertThat(p20).allSatisfy((record) -> {
			Event event = Event.parseFrom(record.value());
			assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.EVENT_ID))
				.isEqualTo(event.getEventId());
			assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.PRIORITY, -1)).isEqualTo(20);
			assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.SLO_DEADLINE))
				.isEqualTo(ProtoTime.instant(event.getSloDeadline()));
			assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.INGESTED_AT))
				.isEqualTo(ProtoTime.instant(event.getIngestedAt()));
		});
	}

	@Test
	void anEventNotDueYetLandsOnTheDelayTopicOfItsTierAndOneDueAlreadyOnItsPriorityTopic() {
		Instant due = Instant.now().plus(Duration.ofMinutes(30));
		Event delayed = TestEvents.event("delayed-1", "hooli", Priority.P10)
			.toBuilder()
			.setNotBefore(ProtoTime.timestamp(due))
			.setSloDeadline(ProtoTime.timestamp(due.plus(Duration.ofMinutes(20))))
			.build();
		Event dueAlready = TestEvents.event("due-1", "hooli", Priority.P10)
			.toBuilder()
			.setNotBefore(ProtoTime.timestamp(Instant.now().minusSeconds(1)))
			.build();

		PublishEventsResponse response = publish(PublishEventsRequest.newBuilder()
			.addEncodedEvents(delayed.toByteString())
			.addEncodedEvents(dueAlready.toByteString())
			.build());

		assertThat(response.getResultsList())
			.extracting(PublishResult::getEventId, PublishResult::getOutcome, PublishResult::getTopic)
			.containsExactly(tuple("delayed-1", PublishResult.Outcome.ACCEPTED, "publish-it.delay.600s"),
					tuple("due-1", PublishResult.Outcome.ACCEPTED, "publish-it.p10"));
		assertThat(read("publish-it.delay.600s", 1)).singleElement().satisfies((record) -> {
			assertThat(record.key()).isEqualTo("hooli");
			assertThat(record.value()).isEqualTo(delayed.toByteArray());
			assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.EVENT_ID)).isEqualTo("delayed-1");
			assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.PRIORITY, -1)).isEqualTo(10);
			assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.DELAY_UNTIL, -1))
				.isEqualTo(due.toEpochMilli());
			// Ten minutes' hold from the write, which came after the event was made.
			assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.NOT_BEFORE, -1))
				.isBetween(due.minus(Duration.ofMinutes(20)).toEpochMilli(), due.toEpochMilli() - 1);
			assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.DELAYED_TO))
				.isEqualTo("publish-it.p10");
		});
		assertThat(TopicReader.readUntil("publish-it.p10",
				(records) -> records.stream().anyMatch((record) -> "hooli".equals(record.key())),
				Duration.ofSeconds(30)))
			.filteredOn((record) -> "hooli".equals(record.key()))
			.singleElement()
			.satisfies((record) -> {
				assertThat(record.value()).isEqualTo(dueAlready.toByteArray());
				assertThat(record.headers().lastHeader(GatewayHeaders.DELAY_UNTIL)).isNull();
			});
	}

	private PublishEventsResponse publish(List<Event> events) {
		return publish(PublishEventsRequest.newBuilder().addAllEvents(events).build());
	}

	private PublishEventsResponse publish(PublishEventsRequest request) {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		try {
			return PrepPublisherGrpc.newBlockingStub(channel).publishEvents(request);
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static List<ConsumerRecord<String, byte[]>> read(String topic, int expected) {
		return TopicReader.read(topic, expected, Duration.ofSeconds(30));
	}

}
