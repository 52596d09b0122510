package io.eventgateway.publisher.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.publisher.config.RolloutSettings;
import io.eventgateway.publisher.route.RolloutRouter;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real clusters: changing the rollout percentage at runtime moves the companies whose
 * CRC32 bucket is below it to the rollout cluster, each company always to the same one,
 * and a bad percentage is refused with the old one kept.
 */
@SpringBootTest(classes = io.eventgateway.publisher.PublisherApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "spring.config.name=publisher-app",
				"spring.grpc.server.port=0", "gateway.topics.prefix=rollout-it", "gateway.topics.partitions=1" })
class RolloutRoutingIT {

	private static final EmbeddedKafkaKraftBroker rolloutBroker = startRolloutBroker();

	private final Map<String, Object> overrides = new HashMap<>();

	@Value("${local.grpc.port}")
	private int grpcPort;

	@Autowired
	private ConfigurableApplicationContext context;

	@Autowired
	private HotSettings<RolloutSettings> rollout;

	private ManagedChannel channel;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
		registry.add("gateway.publisher.rollout.bootstrap-servers", rolloutBroker::getBrokersAsString);
	}

	@AfterAll
	static void stopRolloutBroker() {
		rolloutBroker.destroy();
	}

	@BeforeEach
	void connect() {
		this.context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("overrides", this.overrides));
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
	}

	@AfterEach
	void disconnect() {
		this.channel.shutdownNow();
		this.context.getEnvironment().getPropertySources().remove("overrides");
		refresh();
	}

	@Test
	void raisingThePercentageMovesTheCompaniesBelowItToTheRolloutClusterAndEachStaysPut() {
		List<String> companies = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			companies.add("company-" + i);
		}
		assertThat(publish(companies).values()).containsOnly("primary");

		this.overrides.put("gateway.publisher.rollout.percentage", "50");
		refresh();

		Map<String, String> routed = publish(companies);
		for (String company : companies) {
			String expected = (RolloutRouter.bucket(company) < 50) ? "rollout" : "primary";
			assertThat(routed.get(company)).as(company).isEqualTo(expected);
		}
		long moved = routed.values().stream().filter("rollout"::equals).count();
		assertThat(moved).isBetween(70L, 130L);
		assertThat(publish(companies)).isEqualTo(routed);
	}

	@Test
	void rolloutTargetChangesAtRuntime() throws Exception {
		this.overrides.put("gateway.publisher.rollout.percentage", "100");
		this.overrides.put("gateway.publisher.rollout.bootstrap-servers", KafkaTestBroker.bootstrapServers());
		refresh();

		String eventId = "retargeted-" + System.nanoTime();
		PublishResult result = PrepPublisherGrpc.newBlockingStub(this.channel)
			.publishEvents(PublishEventsRequest.newBuilder()
				.addEvents(TestEvents.event(eventId, "acme", Priority.P30))
				.build())
			.getResults(0);

		assertThat(result.getDestination()).isEqualTo(Destination.ROLLOUT);
		assertThat(readIds(KafkaTestBroker.bootstrapServers(), "rollout-it.p30")).contains(eventId);
	}

	@Test
	void percentageOver100IsRejectedAndTheOldOneStays() {
		this.overrides.put("gateway.publisher.rollout.percentage", "30");
		refresh();
		this.overrides.put("gateway.publisher.rollout.percentage", "150");

		refresh();

		assertThat(this.rollout.current().percentage()).isEqualTo(30);
		assertThat(this.rollout.rejectionCount()).isPositive();
		assertThat(this.rollout.lastRejection()).contains("gateway.publisher.rollout.percentage");
	}

	private void refresh() {
		this.context.publishEvent(new EnvironmentChangeEvent(this.context,
				Set.of("gateway.publisher.rollout.percentage", "gateway.publisher.rollout.bootstrap-servers")));
	}

	private static Set<String> readIds(String bootstrapServers, String topic) {
		Set<String> ids = new HashSet<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"rollout-it-reader-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					ids.add(Event.parseFrom(record.value()).getEventId());
				}
				return !consumer.assignment().isEmpty() && consumer.assignment()
					.stream()
					.allMatch((partition) -> consumer.position(partition) >= consumer.endOffsets(List.of(partition))
						.get(partition));
			});
		}
		return ids;
	}

	/** Publishes one P30 event per company and returns the cluster each landed on. */
	private Map<String, String> publish(List<String> companies) {
		PublishEventsRequest.Builder request = PublishEventsRequest.newBuilder();
		for (String company : companies) {
			request.addEvents(TestEvents.event(company + "-" + System.nanoTime(), company, Priority.P30));
		}
		List<PublishResult> results = PrepPublisherGrpc.newBlockingStub(this.channel)
			.publishEvents(request.build())
			.getResultsList();
		Map<String, String> clusters = new HashMap<>();
		for (int i = 0; i < companies.size(); i++) {
			assertThat(results.get(i).getOutcome()).as(results.get(i).getError())
				.isEqualTo(PublishResult.Outcome.ACCEPTED);
			clusters.put(companies.get(i), results.get(i).getDestination().name().toLowerCase(java.util.Locale.ROOT));
		}
		return clusters;
	}

	private static EmbeddedKafkaKraftBroker startRolloutBroker() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "rollout-it.p30", "rollout-it.p20",
				"rollout-it.p10");
		broker.afterPropertiesSet();
		return broker;
	}

}
