package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.health.KafkaClusterHealthIndicator;
import io.eventgateway.common.kafka.security.KafkaCredentialsRefusedException;
import io.eventgateway.ingest.IngestApplication;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.publisher.PublisherApplication;
import io.eventgateway.standalone.broker.KafkaBrokerProcess;
import io.eventgateway.standalone.broker.SaslSslListener;
import io.eventgateway.worker.WorkerApplication;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A broker whose only client listener is SASL_SSL (SCRAM-SHA-256 over TLS with a
 * certificate made here): every role connects with the right credentials and events flow;
 * with a wrong password each role refuses to start with one line naming the setting.
 */
class KafkaSecurityIT {

	private static final String USER = "gateway";

	private static final String PASSWORD = "gatewaySecret42";

	private static final String PREFIX = "sec";

	private static Path dir;

	private static KafkaBrokerProcess broker;

	private static SaslSslListener listener;

	private static TestCertificates certificates;

	@BeforeAll
	static void startBroker() throws Exception {
		dir = Files.createTempDirectory("kafka-security-it");
		certificates = TestCertificates.generate(dir, "broker");
		listener = new SaslSslListener(TestPorts.freePort(), certificates.keyStore(), certificates.password(),
				Map.of(USER, PASSWORD));
		broker = KafkaBrokerProcess.start(dir.resolve("broker"), TestPorts.freePortPair(), listener);
	}

	@AfterAll
	static void stopBroker() throws Exception {
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void everyRoleConnectsWithTheRightCredentialsAndEventsFlow() throws Exception {
		RecordingProcessor processor = new RecordingProcessor();
		try (GatewayCluster cluster = GatewayCluster.start(new GatewayCluster.Settings(listener.bootstrapServers(),
				GatewayCluster.Ports.random(), securedArgs(PASSWORD)), true, processor)) {
			HttpResponse<String> response = new IngestClient(cluster.ingestHttpPort())
				.post(List.of(IngestClient.event("secured-1", "acme", "trigger.secured")));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

			await().atMost(Duration.ofSeconds(60)).until(() -> processor.processedIds().contains("secured-1"));
			for (ConfigurableApplicationContext role : List.of(cluster.ingest(), cluster.publisher(),
					cluster.orchestrator(), cluster.worker())) {
				assertThat(role.getBean(KafkaClusterHealthIndicator.class).health(true).getStatus()).as(role.getId())
					.isEqualTo(Status.UP);
			}
		}
	}

	@Test
	void withAWrongPasswordEveryRoleRefusesToStartNamingTheSetting() {
		for (Map.Entry<Class<?>, String> role : Map
			.of(PublisherApplication.class, PublisherApplication.ROLE, OrchestratorApplication.class,
					OrchestratorApplication.ROLE, WorkerApplication.class, WorkerApplication.ROLE,
					IngestApplication.class, IngestApplication.ROLE)
			.entrySet()) {
			List<String> args = new ArrayList<>(securedArgs("wrongPassword"));
			args.addAll(List.of("--spring.kafka.bootstrap-servers=" + listener.bootstrapServers(), "--server.port=0",
					"--server.address=127.0.0.1", "--spring.grpc.server.port=0", "--spring.grpc.server.host=127.0.0.1",
					"--spring.main.banner-mode=off"));
			assertThatThrownBy(() -> GatewayApplications.builder(role.getKey(), role.getValue())
				.main(role.getKey())
				.run(args.toArray(String[]::new))).as(role.getValue())
				.isInstanceOf(KafkaCredentialsRefusedException.class)
				.hasMessageStartingWith("The primary Kafka cluster (" + listener.bootstrapServers()
						+ ") refused this role: check gateway.kafka.security.sasl.password (user gateway); Kafka says:")
				.hasMessageNotContaining("\n")
				.hasMessageNotContaining("wrongPassword");
		}
	}

	@Test
	void aFallbackClusterWithItsOwnWrongCredentialsIsNamedByItsOwnSetting() {
		List<String> args = new ArrayList<>(securedArgs(PASSWORD));
		args.addAll(List.of("--spring.kafka.bootstrap-servers=" + listener.bootstrapServers(),
				"--gateway.publisher.fallback-cluster.bootstrap-servers=" + listener.bootstrapServers(),
				"--gateway.publisher.fallback-cluster.security.protocol=SASL_SSL",
				"--gateway.publisher.fallback-cluster.security.sasl.mechanism=SCRAM-SHA-256",
				"--gateway.publisher.fallback-cluster.security.sasl.username=" + USER,
				"--gateway.publisher.fallback-cluster.security.sasl.password=notTheFallbackPassword",
				"--gateway.publisher.fallback-cluster.security.ssl.trust-store-location=" + certificates.trustStore(),
				"--gateway.publisher.fallback-cluster.security.ssl.trust-store-password=" + certificates.password(),
				"--server.port=0", "--server.address=127.0.0.1", "--spring.grpc.server.port=0",
				"--spring.grpc.server.host=127.0.0.1", "--spring.main.banner-mode=off"));

		assertThatThrownBy(() -> GatewayApplications.builder(PublisherApplication.class, PublisherApplication.ROLE)
			.main(PublisherApplication.class)
			.run(args.toArray(String[]::new))).isInstanceOf(KafkaCredentialsRefusedException.class)
			.hasMessageStartingWith("The fallback Kafka cluster (" + listener.bootstrapServers()
					+ ") refused this role: check gateway.publisher.fallback-cluster.security.sasl.password");
	}

	private static List<String> securedArgs(String password) {
		return List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=2",
				"--gateway.orchestrator.consumer-group=" + PREFIX, "--gateway.kafka.security.protocol=SASL_SSL",
				"--gateway.kafka.security.sasl.mechanism=" + SaslSslListener.MECHANISM,
				"--gateway.kafka.security.sasl.username=" + USER, "--gateway.kafka.security.sasl.password=" + password,
				"--gateway.kafka.security.ssl.trust-store-location=" + certificates.trustStore(),
				"--gateway.kafka.security.ssl.trust-store-password=" + certificates.password(),
				"--gateway.kafka.security.ssl.trust-store-type=PKCS12",
				// Patient on a busy machine: a check that timed out would let a wrong
				// password start.
				"--gateway.kafka.startup-check.timeout=60s",
				// The bus's binder takes the shared test broker's address from the system
				// property an earlier test's embedded broker set; this broker is the one.
				"--spring.cloud.stream.kafka.binder.brokers=" + listener.bootstrapServers());
	}

}
