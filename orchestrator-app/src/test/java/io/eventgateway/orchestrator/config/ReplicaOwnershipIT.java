package io.eventgateway.orchestrator.config;

import java.time.Duration;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.orchestrator.OrchestratorApplication;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Orchestrator replica i reads partition i of the responses topic, and only valid indexes
 * start.
 */
class ReplicaOwnershipIT {

	@Test
	void replicaOneOfTwoConsumesItsOwnResponsePartition() {
		try (ConfigurableApplicationContext context = start(1, 2)) {
			MessageListenerContainer responses = context.getBean(KafkaListenerEndpointRegistry.class)
				.getListenerContainer("gateway-responses");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> responses.getAssignedPartitions() != null && !responses.getAssignedPartitions().isEmpty());
			assertThat(responses.getAssignedPartitions())
				.containsExactly(new TopicPartition("replica-it.responses", 1));
			assertThat(context.getBean(ReplicaIdentity.class).index()).isEqualTo(1);
		}
	}

	@Test
	void indexEqualToTheNumberOfReplicasFailsAtStartupNamingTheSettings() {
		assertThatException().isThrownBy(() -> start(2, 2).close())
			.satisfies((ex) -> assertThat(rootMessage(ex)).contains("replica index 2 is outside [0, 2)",
					"gateway.orchestrator.number-of-replicas"));
	}

	private static ConfigurableApplicationContext start(int index, int replicas) {
		return GatewayApplications.builder(OrchestratorApplication.class, OrchestratorApplication.ROLE)
			.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
					"--spring.grpc.server.port=0", "--spring.main.banner-mode=off",
					"--gateway.topics.prefix=replica-it", "--gateway.topics.partitions=2",
					"--gateway.orchestrator.consumer-group=replica-it", "--gateway.orchestrator.replica-index=" + index,
					"--gateway.orchestrator.number-of-replicas=" + replicas);
	}

	private static String rootMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

}
