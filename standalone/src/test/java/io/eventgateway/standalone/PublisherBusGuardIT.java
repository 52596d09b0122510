package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.environment.GuardedContextRefresher;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.configserver.test.GitSettingsRepo;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.cloud.bus.event.EnvironmentChangeRemoteApplicationEvent;
import org.springframework.cloud.bus.event.ShutdownRemoteApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Only refresh travels on the bus, and a refresh is held to the environment rules. Two
 * staging publishers on one bus topic: an environment change put on the topic (as anyone
 * able to write to it could) reaches the first, which runs on the shipped defaults, and
 * changes nothing there; the second, with environment changes switched back on, shows the
 * same message would have taken effect. A production cluster address committed to the
 * settings repository is refused on refresh (the environment guard runs on every refresh)
 * and nothing changes; one that reaches the rollout settings another way (here the bus of
 * the instance that still takes changes from it) is refused by them, counted with
 * reason=environment, and the rollout stays where it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublisherBusGuardIT {

	private static final String PREFIX = "bus-guard-it";

	private static final String PROD_HOSTS = "*.prod.example.internal";

	@TempDir
	static Path folder;

	private static GitSettingsRepo repo;

	private static EmbeddedConfigServer configServer;

	private static ConfigurableApplicationContext guarded;

	private static ConfigurableApplicationContext permissive;

	private static final List<EnvironmentChangeRemoteApplicationEvent> heardByGuarded = new CopyOnWriteArrayList<>();

	private static final List<ShutdownRemoteApplicationEvent> shutdownsHeardByGuarded = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() {
		repo = GitSettingsRepo.create(folder);
		repo.commit("publisher-app.yml", rollout(0, KafkaTestBroker.bootstrapServers()));
		configServer = TestConfigServer.start(repo);
		guarded = publisher("publisher-guarded");
		guarded
			.addApplicationListener((ApplicationListener<EnvironmentChangeRemoteApplicationEvent>) heardByGuarded::add);
		guarded
			.addApplicationListener((ApplicationListener<ShutdownRemoteApplicationEvent>) shutdownsHeardByGuarded::add);
		permissive = publisher("publisher-permissive", "--spring.cloud.bus.env.enabled=true");
	}

	@AfterAll
	static void stop() throws Exception {
		for (AutoCloseable running : new AutoCloseable[] { guarded, permissive, configServer }) {
			if (running != null) {
				running.close();
			}
		}
		repo.close();
	}

	@Test
	@Order(1)
	void anEnvironmentChangeOnTheBusChangesNothing() throws Exception {
		String sender = permissive.getEnvironment().getRequiredProperty("spring.cloud.bus.id");
		Map<String, String> values = Map.of("gateway.publisher.rollout.percentage", "100");

		// Published in the permissive instance as its own: the bus sends it to the topic.
		permissive.publishEvent(new EnvironmentChangeRemoteApplicationEvent(permissive, sender, () -> "**", values));

		await().atMost(Duration.ofSeconds(30)).until(() -> !heardByGuarded.isEmpty());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(ActuatorClient.at(new ActuatorClient(permissive).gateway(), "rollout.percentage"))
						.as("the same message where environment changes are on")
						.isEqualTo(100));
		assertThat(heardByGuarded.get(0).getValues()).isEqualTo(values);
		assertThat(ActuatorClient.at(new ActuatorClient(guarded).gateway(), "rollout.percentage")).isEqualTo(0);
		assertThat(guarded.getEnvironment().getProperty("gateway.publisher.rollout.percentage")).isEqualTo("0");
	}

	@Test
	@Order(2)
	void aProductionClusterCommittedForAStagingInstanceIsRefusedOnRefreshAndNothingChanges() throws Exception {
		ActuatorClient client = new ActuatorClient(guarded);
		repo.commit("publisher-app.yml", rollout(100, "b1.prod.example.internal:9092"));

		HttpResponse<String> refresh = client.post("refresh");

		// The guard runs again on the refreshed environment and refuses it whole,
		// counted.
		assertThat(refresh.statusCode()).isEqualTo(500);
		assertThat(guarded.getBean(MeterRegistry.class)
			.get("gateway.settings.refresh.refused")
			.tag("reason", "environment")
			.functionCounter()
			.count()).isEqualTo(1);
		assertThat(guarded.getBean(GuardedContextRefresher.class).lastRefusal())
			.contains("gateway.publisher.rollout.bootstrap-servers", "b1.prod.example.internal");
		Map<String, Object> state = client.gateway();
		assertThat(ActuatorClient.at(state, "rollout.percentage")).isEqualTo(0);
		assertThat(ActuatorClient.at(state, "rollout.bootstrapServers")).isEqualTo(KafkaTestBroker.bootstrapServers());
		assertThat(guarded.getEnvironment().getProperty("gateway.publisher.rollout.bootstrap-servers"))
			.isEqualTo(KafkaTestBroker.bootstrapServers());
		repo.commit("publisher-app.yml", rollout(0, KafkaTestBroker.bootstrapServers()));
	}

	@Test
	@Order(3)
	void aProductionClusterReachingTheRolloutSettingsAnotherWayIsRefusedAndCounted() throws Exception {
		String sender = permissive.getEnvironment().getRequiredProperty("spring.cloud.bus.id");
		MeterRegistry meters = permissive.getBean(MeterRegistry.class);

		// The instance that still takes environment changes from the bus: the change gets
		// into its environment, and the rollout settings refuse it.
		permissive.publishEvent(new EnvironmentChangeRemoteApplicationEvent(permissive, sender, () -> "**",
				Map.of("gateway.publisher.rollout.bootstrap-servers", "b1.prod.example.internal:9092")));

		await().atMost(Duration.ofSeconds(30))
			.until(() -> meters.get("gateway.publisher.settings.rejected")
				.tag("reason", "environment")
				.functionCounter()
				.count() == 1);
		Map<String, Object> state = new ActuatorClient(permissive).gateway();
		assertThat(ActuatorClient.at(state, "rollout.bootstrapServers")).isEqualTo(KafkaTestBroker.bootstrapServers());
		assertThat((String) ActuatorClient.at(state, "settings.lastRejection"))
			.contains("gateway.publisher.rollout.bootstrap-servers", "b1.prod.example.internal", "staging");
		assertThat(meters.get("gateway.publisher.settings.rejected").tag("reason", "invalid").functionCounter().count())
			.isZero();
	}

	@Test
	@Order(4)
	void aShutdownOnTheBusStopsNoInstance() throws Exception {
		String sender = permissive.getEnvironment().getRequiredProperty("spring.cloud.bus.id");

		permissive.publishEvent(new ShutdownRemoteApplicationEvent(permissive, sender, () -> "**"));

		await().atMost(Duration.ofSeconds(30)).until(() -> !shutdownsHeardByGuarded.isEmpty());
		assertThat(guarded.isActive()).isTrue();
		assertThat(permissive.isActive()).isTrue();
		assertThat(new ActuatorClient(guarded).get("health/liveness").statusCode()).isEqualTo(200);
	}

	private static ConfigurableApplicationContext publisher(String busId, String... extra) {
		List<String> args = TestConfigServer.withImport(configServer,
				"--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
				"--spring.grpc.server.port=0", "--spring.main.banner-mode=off", "--gateway.topics.prefix=" + PREFIX,
				"--spring.cloud.bus.id=" + busId, "--gateway.environment=staging",
				"--gateway.environment-rules.production-hosts=" + PROD_HOSTS, "--gateway.management.username=operator",
				"--gateway.management.password=" + busId + "-password");
		args.addAll(List.of(extra));
		return GatewayApplications.builder(PublisherApplication.class, PublisherApplication.ROLE)
			.run(args.toArray(String[]::new));
	}

	private static String rollout(int percentage, String bootstrapServers) {
		return """
				gateway:
				  publisher:
				    rollout:
				      percentage: %d
				      bootstrap-servers: %s
				""".formatted(percentage, bootstrapServers);
	}

}
