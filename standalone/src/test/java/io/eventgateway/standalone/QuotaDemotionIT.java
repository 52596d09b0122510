package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.proto.v1.IngestServiceGrpc;
import io.eventgateway.proto.v1.PriorityLevel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A company over its quota has its P30 events demoted to P20, tagged with the level they
 * came from; another company's P30 events are untouched. Every event is still accepted
 * and processed. Also the gRPC path of a delayed event: stored at once on a delay topic,
 * handed to a worker only once due.
 */
class QuotaDemotionIT {

	private static final String PREFIX = "quota";

	private static final RecordingProcessor processor = new RecordingProcessor();

	private static GatewayCluster cluster;

	private static IngestClient ingest;

	@BeforeAll
	static void start() {
		cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.orchestrator.consumer-group=" + PREFIX,
							"--gateway.ingest.quotas.companies.noisy.events-per-second=1",
							"--gateway.ingest.quotas.companies.noisy.burst=5")),
					true, processor);
		ingest = new IngestClient(cluster.ingestHttpPort());
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void aCompanyOverItsQuotaIsDemotedAndAnotherIsNot() throws Exception {
		List<String> batch = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			String company = (i < 20) ? "noisy" : "quiet";
			ids.add(company + "-" + i);
			batch.add(IngestClient.event(company + "-" + i, company, "trigger.x"));
		}

		HttpResponse<String> response = ingest.post(batch);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"accepted\":30,\"rejected\":0",
				"{\"index\":19,\"event_id\":\"noisy-19\",\"status\":\"accepted\",\"priority\":\"P20\"}");
		// The burst of 5 stays P30; at 1 event/s at most one more token refills
		// meanwhile.
		List<Event> p20 = events(KafkaChecks.read(PREFIX + ".p20", 14, Duration.ofSeconds(30)));
		List<Event> p30 = events(KafkaChecks.read(PREFIX + ".p30", 15, Duration.ofSeconds(30)));
		assertThat(p20).allSatisfy((event) -> {
			assertThat(event.getCompanyId()).isEqualTo("noisy");
			assertThat(event.getTagsMap()).containsEntry("demoted", "P30").containsEntry("rule", "realtime-triggers");
		});
		assertThat(companies(p30)).containsEntry("quiet", 10L);
		assertThat(p20.size() + companies(p30).get("noisy")).isEqualTo(20);
		assertThat(p30).allSatisfy((event) -> assertThat(event.getTagsMap()).containsEntry("realtime", "true")
			.doesNotContainKey("demoted"));
		await().atMost(Duration.ofSeconds(30)).until(() -> processor.processedIds().containsAll(ids));
	}

	@Test
	void aDelayedEventIsAcceptedOverGrpcAtOnceAndProcessedOnlyOnceDue() throws Exception {
		// Two seconds: it waits in the shortest tier (1s) at least twice before it is
		// due.
		Instant notBefore = Instant.now().plusSeconds(2);
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", cluster.ingestGrpcPort())
			.usePlaintext()
			.build();
		try {
			IngestEventsResponse response = IngestServiceGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.ingestEvents(IngestEventsRequest.newBuilder()
					.setRequestId("delayed-request")
					.addEvents(IngestEvent.newBuilder()
						.setEventId("delayed-1")
						.setCompanyId("patient")
						.setEventType("bulk.report")
						.setSource("it")
						.setNotBefore(ProtoTime.timestamp(notBefore)))
					.build());

			assertThat(response.getRequestId()).isEqualTo("delayed-request");
			assertThat(response.getResults(0).getStatus()).isEqualTo(IngestResult.Status.ACCEPTED);
			assertThat(response.getResults(0).getPriority()).isEqualTo(PriorityLevel.P10);
		}
		finally {
			channel.shutdownNow();
		}
		Event delayed = Event
			.parseFrom(KafkaChecks.read(PREFIX + ".delay.1s", 1, Duration.ofSeconds(30)).get(0).value());
		assertThat(delayed.getEventId()).isEqualTo("delayed-1");
		assertThat(ProtoTime.instant(delayed.getNotBefore())).isEqualTo(notBefore);
		assertThat(ProtoTime.instant(delayed.getIngestedAt())).isBefore(notBefore);
		assertThat(delayed.getTagsMap()).containsKey("delayed-until");
		Event due = Event.parseFrom(KafkaChecks.read(PREFIX + ".p10", 1, Duration.ofSeconds(30)).get(0).value());
		assertThat(due.getEventId()).isEqualTo("delayed-1");
		await().atMost(Duration.ofSeconds(30)).until(() -> processor.processedIds().contains("delayed-1"));
		assertThat(processor.firstProcessedAt("delayed-1")).isAfterOrEqualTo(notBefore);
	}

	private static List<Event> events(List<ConsumerRecord<String, byte[]>> records) throws Exception {
		List<Event> events = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			events.add(Event.parseFrom(record.value()));
		}
		return events;
	}

	private static Map<String, Long> companies(List<Event> events) {
		return events.stream().collect(Collectors.groupingBy(Event::getCompanyId, Collectors.counting()));
	}

}
