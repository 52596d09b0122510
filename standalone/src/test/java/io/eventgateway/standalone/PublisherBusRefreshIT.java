package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.configserver.test.GitSettingsRepo;
import io.eventgateway.proto.v1.PrepPublisherGrpc;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishResult;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two publisher instances on one settings repository: a new rollout percentage committed
 * and announced by {@code /actuator/busrefresh} on one instance reaches both, which then
 * route by it; a percentage of 150 is refused and the one in force stays.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublisherBusRefreshIT {

	private static final String PREFIX = "bus-it";

	@TempDir
	static Path folder;

	private static GitSettingsRepo repo;

	private static EmbeddedConfigServer configServer;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	@BeforeAll
	static void start() {
		repo = GitSettingsRepo.create(folder);
		repo.commit("publisher-app.yml", rollout(0));
		configServer = TestConfigServer.start(repo);
		first = publisher("publisher-a");
		second = publisher("publisher-b");
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable running : new AutoCloseable[] { first, second, configServer }) {
			if (running != null) {
				running.close();
			}
		}
		repo.close();
	}

	@Test
	@Order(1)
	void busRefreshOnOneInstanceChangesTheRolloutOfBoth() throws Exception {
		ActuatorClient a = new ActuatorClient(first);
		ActuatorClient b = new ActuatorClient(second);
		assertThat(ActuatorClient.at(a.gateway(), "rollout.percentage")).isEqualTo(0);
		assertThat(ActuatorClient.at(b.gateway(), "rollout.percentage")).isEqualTo(0);

		repo.commit("publisher-app.yml", rollout(100));
		HttpResponse<String> refresh = a.post("busrefresh");

		assertThat(refresh.statusCode()).isBetween(200, 204);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(ActuatorClient.at(a.gateway(), "rollout.percentage")).isEqualTo(100));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(ActuatorClient.at(b.gateway(), "rollout.percentage")).isEqualTo(100));
		for (ConfigurableApplicationContext publisher : List.of(first, second)) {
			assertThat(publishOne(publisher).getOutcome()).isEqualTo(PublishResult.Outcome.ACCEPTED);
			assertThat(((Number) ActuatorClient.at(new ActuatorClient(publisher).gateway(), "rollout.routed.rollout"))
				.longValue()).isEqualTo(1);
		}
	}

	@Test
	@Order(2)
	void aPercentageOf150IsRefusedAndTheOldOneStays() throws Exception {
		ActuatorClient a = new ActuatorClient(first);
		Object before = ActuatorClient.at(a.gateway(), "rollout.percentage");

		repo.commit("publisher-app.yml", rollout(150));
		a.post("refresh");

		var state = a.gateway();
		assertThat(ActuatorClient.at(state, "rollout.percentage")).isEqualTo(before);
		assertThat(ActuatorClient.at(state, "settings.rejectedRefreshes")).isEqualTo(1);
		assertThat((String) ActuatorClient.at(state, "settings.lastRejection")).contains("percentage");
	}

	private static ConfigurableApplicationContext publisher(String busId) {
		return GatewayApplications.builder(PublisherApplication.class, PublisherApplication.ROLE)
			.run(TestConfigServer
				.withImport(configServer, "--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
						"--server.port=0", "--spring.grpc.server.port=0", "--spring.main.banner-mode=off",
						"--gateway.topics.prefix=" + PREFIX, "--spring.cloud.bus.id=" + busId,
						// busrefresh and gateway take the management credentials.
						"--gateway.management.username=ops", "--gateway.management.password=bus-it-secret")
				.toArray(String[]::new));
	}

	private static String rollout(int percentage) {
		// The rollout cluster is the same broker: routing is what is under test.
		return """
				gateway:
				  publisher:
				    rollout:
				      percentage: %d
				      bootstrap-servers: %s
				""".formatted(percentage, KafkaTestBroker.bootstrapServers());
	}

	private static PublishResult publishOne(ConfigurableApplicationContext publisher) {
		int port = publisher.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		try {
			return PrepPublisherGrpc.newBlockingStub(channel)
				.publishEvents(PublishEventsRequest.newBuilder()
					.addEvents(TestEvents.event("routed-" + port, "acme", Priority.P20))
					.build())
				.getResults(0);
		}
		finally {
			channel.shutdownNow();
		}
	}

}
