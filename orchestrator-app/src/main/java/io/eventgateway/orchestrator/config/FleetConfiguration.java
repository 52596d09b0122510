package io.eventgateway.orchestrator.config;

import java.time.Clock;

import io.eventgateway.common.kafka.security.KafkaClusterSecurity;
import io.eventgateway.common.kafka.security.KafkaCluster;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.orchestrator.fleet.BrokerContact;
import io.eventgateway.orchestrator.fleet.BrokerContactProbe;
import io.eventgateway.orchestrator.fleet.ServingGate;
import io.eventgateway.orchestrator.fleet.Standing;
import io.eventgateway.orchestrator.fleet.ServingHealthIndicator;
import io.eventgateway.orchestrator.flow.FlowSignalSender;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires what makes an orchestrator one of a fleet: whether its fleet is active, its
 * contact with its cluster (and the fence when that is lost), and where its flow-control
 * signals go.
 */
@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

	@Bean
	BrokerContact brokerContact(Clock clock, HotSettings<OrchestratorProperties> settings, MeterRegistry registry) {
		BrokerContact contact = new BrokerContact(clock, () -> settings.current().fenceAfter());
		FunctionCounter.builder("gateway.orchestrator.fencings", contact, BrokerContact::fencings)
			.description("Times this orchestrator fenced itself for lack of contact with its Kafka cluster")
			.register(registry);
		Gauge.builder("gateway.orchestrator.broker.contact.age", contact, (c) -> c.silence().toMillis() / 1000.0)
			.description("Seconds since the Kafka cluster last answered this orchestrator")
			.baseUnit("seconds")
			.register(registry);
		return contact;
	}

	@Bean
	ServingGate servingGate(HotSettings<OrchestratorProperties> settings, BrokerContact contact,
			MeterRegistry registry) {
		ServingGate gate = new ServingGate(() -> settings.current().isFleetActive(), contact);
		// One series per standing, 1 for the current one: a fleet with no SERVING replica
		// left (all on standby by a mistyped active-fleets, or all fenced) is visible.
		for (Standing standing : Standing.values()) {
			Gauge.builder("gateway.orchestrator.standing", gate, (g) -> (g.standing() == standing) ? 1 : 0)
				.description("1 for this orchestrator's current standing (SERVING, STANDBY, FENCED)")
				.tag("standing", standing.name())
				.register(registry);
		}
		return gate;
	}

	@Bean(destroyMethod = "close")
	BrokerContactProbe brokerContactProbe(KafkaAdmin admin, BrokerContact contact,
			HotSettings<OrchestratorProperties> settings, LoopMonitor monitor) {
		return new BrokerContactProbe(admin.getConfigurationProperties(), contact,
				() -> settings.current().fenceAfter(), monitor);
	}

	@Bean
	ServingHealthIndicator servingHealthIndicator(ServingGate gate, OrchestratorProperties properties) {
		return new ServingHealthIndicator(gate, properties.fleet());
	}

	@Bean(destroyMethod = "close")
	FlowSignalSender flowSignalSender(KafkaTemplate<String, byte[]> kafkaTemplate, TopicLayout topics,
			OrchestratorProperties properties, KafkaClusterSecurity security) {
		String cluster = properties.flowControl().bootstrapServers();
		return (cluster == null || cluster.isBlank()) ? FlowSignalSender.sharing(kafkaTemplate, topics.flowControl())
				: FlowSignalSender.toCluster(
						security.forCluster(KafkaCluster.FLOW_CONTROL,
								kafkaTemplate.getProducerFactory().getConfigurationProperties()),
						cluster, topics.flowControl());
	}

}
