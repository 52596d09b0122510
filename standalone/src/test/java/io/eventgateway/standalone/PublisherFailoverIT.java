package io.eventgateway.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.publisher.PublisherApplication;
import io.eventgateway.publisher.failure.EventSpool;
import io.eventgateway.publisher.failure.SpoolReplayer;
import io.eventgateway.standalone.broker.KafkaBrokerProcess;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary cluster (a real broker process) goes down mid-stream: every event sent
 * meanwhile is accepted into the failed-writes topic on the fallback cluster, or into the
 * spool when the fallback is unreachable too. Once the primary is back, the failed-writes
 * processor and the republish command bring every one of them to its priority topic; a
 * ledger of event ids shows none missing.
 */
class PublisherFailoverIT {

	private static final String PREFIX = "failover";

	@TempDir
	Path temp;

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void everyEventSentDuringAnOutageReachesItsTopicOnceThePrimaryIsBack() throws Exception {
		int primaryPort = TestPorts.freePortPair();
		Path primaryData = this.temp.resolve("primary");
		KafkaBrokerProcess primary = KafkaBrokerProcess.start(primaryData, primaryPort);
		this.resources.add(() -> closeQuietly(primary));
		ConfigurableApplicationContext withFallback = publisher(primary.bootstrapServers(),
				KafkaTestBroker.bootstrapServers(), this.temp.resolve("spool-a"), true);
		ConfigurableApplicationContext withoutFallback = publisher(primary.bootstrapServers(),
				"127.0.0.1:" + TestPorts.freePort(), this.temp.resolve("spool-b"), false);
		Set<String> ledger = new HashSet<>();

		ledger.addAll(publish(withFallback, "before", 20, Destination.PRIMARY));

		primary.close();
		ledger.addAll(publish(withFallback, "outage", 20, Destination.FAILED_WRITES));
		ledger.addAll(publish(withoutFallback, "spooled", 10, Destination.SPOOL));

		KafkaBrokerProcess restarted = KafkaBrokerProcess.start(primaryData, primaryPort);
		this.resources.add(() -> closeQuietly(restarted));
		// The restarted broker may not serve metadata at once: replay until the spool is
		// empty, as
		// an operator would rerun the command.
		SpoolReplayer replayer = withoutFallback.getBean(SpoolReplayer.class);
		EventSpool spool = withoutFallback.getBean(EventSpool.class);
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
			replayer.replayAll();
			return spool.keys().isEmpty();
		});

		Set<String> delivered = new HashSet<>();
		for (String topic : List.of(PREFIX + ".p30", PREFIX + ".p10")) {
			for (ConsumerRecord<String, byte[]> record : KafkaChecks.read(restarted.bootstrapServers(), topic,
					ledger.size() / 2, Duration.ofSeconds(90))) {
				delivered.add(Event.parseFrom(record.value()).getEventId());
			}
		}
		assertThat(delivered).containsAll(ledger);
	}

	private ConfigurableApplicationContext publisher(String primary, String fallback, Path spool,
			boolean processFailedWrites) {
		ConfigurableApplicationContext context = GatewayApplications
			.builder(PublisherApplication.class, PublisherApplication.ROLE)
			.run("--spring.kafka.bootstrap-servers=" + primary, "--server.port=0", "--spring.grpc.server.port=0",
					"--spring.main.banner-mode=off", "--gateway.topics.prefix=" + PREFIX,
					"--gateway.topics.partitions=1",
					"--gateway.publisher.fallback-cluster.bootstrap-servers=" + fallback,
					"--gateway.publisher.spool.directory=" + spool,
					"--gateway.publisher.failed-writes-processor.enabled=" + processFailedWrites,
					"--gateway.publisher.failed-writes-processor.max-attempts=1000",
					"--gateway.publisher.failed-writes-processor.max-backoff=1s",
					"--gateway.publisher.failed-writes-processor.write-timeout=5s",
					"--spring.kafka.producer.properties.delivery.timeout.ms=4000",
					"--spring.kafka.producer.properties.request.timeout.ms=2000",
					"--spring.kafka.producer.properties.max.block.ms=500");
		this.resources.add(context::close);
		return context;
	}

	/**
	 * Publishes half P30, half P10 events and checks each is accepted at the destination.
	 */
	private static List<String> publish(ConfigurableApplicationContext publisher, String prefix, int count,
			Destination expected) {
		int port = publisher.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		try {
			PublishEventsRequest.Builder request = PublishEventsRequest.newBuilder();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				ids.add(prefix + "-" + i);
				request.addEvents(TestEvents.event(prefix + "-" + i, "company-" + (i % 5),
						(i % 2 == 0) ? Priority.P30 : Priority.P10));
			}
			List<PublishResult> results = PrepPublisherGrpc.newBlockingStub(channel)
				.publishEvents(request.build())
				.getResultsList();
			assertThat(results).allSatisfy((result) -> {
				assertThat(result.getOutcome()).as(result.getError()).isEqualTo(PublishResult.Outcome.ACCEPTED);
				assertThat(result.getDestination()).isEqualTo(expected);
			});
			return ids;
		}
		finally {
			channel.shutdownNow();
		}
	}

	private static void closeQuietly(KafkaBrokerProcess broker) throws InterruptedException {
		if (broker.isAlive()) {
			broker.close();
		}
	}

}
