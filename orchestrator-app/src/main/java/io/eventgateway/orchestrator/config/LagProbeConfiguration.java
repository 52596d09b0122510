package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.orchestrator.delay.DelayTopics;
import io.eventgateway.orchestrator.lag.LagProbe;
import io.eventgateway.orchestrator.lag.LagProbeProperties;
import io.eventgateway.orchestrator.lag.ProbeConsumer;
import io.eventgateway.orchestrator.lag.ProbedGroup;
import io.eventgateway.orchestrator.lag.SourceLagMeters;
import io.eventgateway.orchestrator.replica.ReplicaIdentity;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Wires the source lag probe: clients of its own (the admin client's and the consumers'
 * configuration, so the same cluster and security), the groups of every source, of this
 * replica's responses partition and of the delay forwarder.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LagProbeProperties.class)
@ConditionalOnBooleanProperty(name = "gateway.orchestrator.lag.enabled", matchIfMissing = true)
class LagProbeConfiguration {

	@Bean
	SourceLagMeters sourceLagMeters(MeterRegistry registry, Clock clock) {
		return new SourceLagMeters(registry, clock);
	}

	@Bean(destroyMethod = "close")
	LagProbe lagProbe(LagProbeProperties lag, KafkaAdmin kafkaAdmin, ConsumerFactory<?, ?> consumerFactory,
			OrchestratorSources sources, OrchestratorProperties properties, TopicLayout topics, ReplicaIdentity replica,
			SourceLagMeters meters, Clock clock, LoopMonitor monitor) {
		List<ProbedGroup> groups = new ArrayList<>();
		for (OrchestratorSources.Source source : sources.all()) {
			// The group name each source consumer uses (OrchestratorConfiguration).
			groups.add(ProbedGroup.of(properties.consumerGroup() + "-" + source.state().name(),
					source.subscription().topics()));
		}
		groups.add(ProbedGroup.ofPartition(properties.consumerGroup() + "-responses", topics.responses(),
				replica.index()));
		// The delay forwarder's group (DelayConfiguration), over every delay topic it
		// reads: a forwarder that stops forwarding shows as growing lag.
		groups.add(ProbedGroup.ofPattern(properties.consumerGroup() + "-delay", new DelayTopics(topics).pattern()));
		Admin admin = Admin.create(new HashMap<>(kafkaAdmin.getConfigurationProperties()));
		return new LagProbe(admin, ProbeConsumer.create(consumerFactory.getConfigurationProperties(), replica.index()),
				groups, lag.interval(), ProbeConsumer.READS_AT_ONCE, meters, clock, monitor);
	}

}
