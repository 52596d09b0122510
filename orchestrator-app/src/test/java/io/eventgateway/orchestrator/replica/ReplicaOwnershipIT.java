package io.eventgateway.orchestrator.replica;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Orchestrator replica i reads partition i of the responses topic, its index comes from
 * the setting or the StatefulSet ordinal of its pod name, and a replica starts only when
 * it has a valid index and the responses topic a partition for every replica.
 */
class ReplicaOwnershipIT {

	@Test
	void replicaOneOfTwoConsumesItsOwnResponsePartition() {
		try (ConfigurableApplicationContext context = start("replica-it", "--gateway.orchestrator.replica-index=1",
				"--gateway.orchestrator.number-of-replicas=2")) {
			assertThat(responsePartitions(context)).containsExactly(new TopicPartition("replica-it.responses", 1));
			assertThat(context.getBean(ReplicaIdentity.class).index()).isEqualTo(1);
			// Answers are committed on a timer, not after every poll.
			ContainerProperties responses = context.getBean(KafkaListenerEndpointRegistry.class)
				.getListenerContainer("gateway-responses")
				.getContainerProperties();
			assertThat(responses.getAckMode()).isEqualTo(ContainerProperties.AckMode.TIME);
			assertThat(responses.getAckTime()).isEqualTo(1000);
		}
	}

	@Test
	void withoutAConfiguredIndexTheOrdinalOfThePodNameIsTheIndexEverywhere() {
		try (ConfigurableApplicationContext context = start("ordinal-it", "--POD_NAME=events-orchestrator-1",
				"--gateway.orchestrator.number-of-replicas=2")) {
			assertThat(context.getBean(ReplicaIdentity.class)).isEqualTo(new ReplicaIdentity(1, 2));
			assertThat(responsePartitions(context)).containsExactly(new TopicPartition("ordinal-it.responses", 1));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("gateway.orchestrator.flow.signals").tag("kind", "DECREASE").meter().getId())
				.satisfies((id) -> assertThat(id.getTag("pod")).isEqualTo("events-orchestrator-1"))
				.satisfies((id) -> assertThat(id.getTag("replica")).isEqualTo("1"));
			// Meters of every origin (JVM, Kafka clients, the role's own) carry both
			// tags.
			assertThat(registry.getMeters()).isNotEmpty()
				.allSatisfy((meter) -> assertThat(meter.getId().getTag("replica")).isEqualTo("1"))
				.allSatisfy((meter) -> assertThat(meter.getId().getTag("pod")).isEqualTo("events-orchestrator-1"));
		}
	}

	@Test
	void indexEqualToTheNumberOfReplicasFailsAtStartupNamingTheSettings() {
		assertThatException()
			.isThrownBy(() -> start("replica-it", "--gateway.orchestrator.replica-index=2",
					"--gateway.orchestrator.number-of-replicas=2")
				.close())
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains("replica index 2 is outside [0, 2)",
					"gateway.orchestrator.number-of-replicas"));
	}

	@Test
	void severalReplicasWithoutIndexOrOrdinalFailAtStartupNamingBothSettings() {
		assertThatException().isThrownBy(
				() -> start("replica-it", "--POD_NAME=laptop", "--gateway.orchestrator.number-of-replicas=2").close())
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains("'laptop'", "gateway.orchestrator.replica-index",
					"gateway.orchestrator.number-of-replicas"));
	}

	@Test
	void aResponsesTopicWithTooFewPartitionsIsExtendedWhenTheGatewayCreatesTopics() throws Exception {
		try (ConfigurableApplicationContext context = start("extend-it", "--gateway.topics.partitions=1",
				"--gateway.orchestrator.replica-index=2", "--gateway.orchestrator.number-of-replicas=3")) {
			try (Admin admin = admin()) {
				assertThat(admin.describeTopics(List.of("extend-it.responses"))
					.allTopicNames()
					.get()
					.get("extend-it.responses")
					.partitions()).hasSize(3);
			}
			assertThat(responsePartitions(context)).containsExactly(new TopicPartition("extend-it.responses", 2));
		}
	}

	@Test
	void aResponsesTopicWithTooFewPartitionsStopsTheStartWhenTopicsAreManagedElsewhere() throws Exception {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic("managed-it.responses", 2, (short) 1))).all().get();
		}
		assertThatException()
			.isThrownBy(() -> start("managed-it", "--gateway.topics.create=false",
					"--gateway.orchestrator.replica-index=0", "--gateway.orchestrator.number-of-replicas=3")
				.close())
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains("managed-it.responses has 2 partitions",
					"gateway.orchestrator.number-of-replicas (3)", "gateway.topics.partitions",
					"gateway.topics.create"));
		try (Admin admin = admin()) {
			assertThat(admin.describeTopics(List.of("managed-it.responses"))
				.allTopicNames()
				.get()
				.get("managed-it.responses")
				.partitions()).as("left as it was").hasSize(2);
		}
	}

	private static List<TopicPartition> responsePartitions(ConfigurableApplicationContext context) {
		MessageListenerContainer responses = context.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainer("gateway-responses");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> responses.getAssignedPartitions() != null && !responses.getAssignedPartitions().isEmpty());
		return List.copyOf(responses.getAssignedPartitions());
	}

	private static ConfigurableApplicationContext start(String prefix, String... settings) {
		List<String> args = new ArrayList<>(
				List.of("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
						"--spring.grpc.server.port=0", "--spring.main.banner-mode=off",
						"--gateway.topics.prefix=" + prefix, "--gateway.orchestrator.consumer-group=" + prefix));
		args.addAll(List.of(settings));
		if (args.stream().noneMatch((arg) -> arg.startsWith("--gateway.topics.partitions="))) {
			args.add("--gateway.topics.partitions=2");
		}
		return GatewayApplications.builder(OrchestratorApplication.class, OrchestratorApplication.ROLE)
			.run(args.toArray(String[]::new));
	}

	private static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()));
	}

	private static String rootMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

}
