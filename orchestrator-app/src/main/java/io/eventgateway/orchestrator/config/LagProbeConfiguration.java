package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.orchestrator.delay.DelayTopics;
import io.eventgateway.orchestrator.lag.LagProbe;
import io.eventgateway.orchestrator.lag.LagProbeProperties;
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

	/** What the probe's consumer may fetch at once: it reads one record per partition. */
	private static final int PROBE_FETCH_MAX_BYTES = 1024 * 1024;

	private static final int PROBE_PARTITION_FETCH_BYTES = 64 * 1024;

	/** How soon the probe's consumer notices partitions added or deleted. */
	private static final int PROBE_METADATA_MAX_AGE_MS = 30_000;

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
		// As many partitions at once as one fetch holds a partition's worth of each.
		int readsAtOnce = PROBE_FETCH_MAX_BYTES / PROBE_PARTITION_FETCH_BYTES;
		return new LagProbe(admin, probeConsumer(consumerFactory, replica), groups, lag.interval(), readsAtOnce, meters,
				clock, monitor);
	}

	private static KafkaConsumer<byte[], byte[]> probeConsumer(ConsumerFactory<?, ?> factory, ReplicaIdentity replica) {
		Map<String, Object> config = new HashMap<>(factory.getConfigurationProperties());
		// In no group: it only reads where the groups stand, never moves them.
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, PROBE_FETCH_MAX_BYTES);
		config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PROBE_PARTITION_FETCH_BYTES);
		config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, PROBE_METADATA_MAX_AGE_MS);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "event-gateway-orchestrator-" + replica.index() + "-lag-probe");
		return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

}
