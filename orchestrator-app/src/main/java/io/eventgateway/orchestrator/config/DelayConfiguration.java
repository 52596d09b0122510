package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.orchestrator.delay.DelayForwarder;
import io.eventgateway.orchestrator.delay.DelayMeters;
import io.eventgateway.orchestrator.delay.DelayRouting;
import io.eventgateway.orchestrator.delay.DelayStats;
import io.eventgateway.orchestrator.retry.FailureRouter;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Wires the delay forwarder: one loop per orchestrator that moves delayed events from the
 * delay topics to their destinations once due. Always on: without it a delayed event
 * would never arrive.
 */
@Configuration(proxyBeanMethods = false)
class DelayConfiguration {

	/** The loop's name, its thread's and its heartbeat's. */
	static final String LOOP_NAME = "delay-forwarder";

	/**
	 * The loop polls every poll timeout even while every partition is held; one without a
	 * completed iteration for this long, or whose writes have kept failing this long, is
	 * stuck.
	 */
	private static final Duration STALL_AFTER = Duration.ofMinutes(2);

	@Bean
	DelayStats delayStats() {
		return new DelayStats();
	}

	@Bean
	DelayMeters delayMeters(DelayStats stats, Clock clock) {
		return new DelayMeters(stats, clock);
	}

	/**
	 * Due times further ahead than the topics keep records are not the gateway's (ingest
	 * caps delays below the retention).
	 */
	@Bean
	DelayRouting delayRouting(TopicLayout topics, GatewayTopicsProperties topicSettings) {
		return new DelayRouting(topics, topicSettings.retention());
	}

	/**
	 * Stops with the sources, after the gRPC server: what it forwarded is committed
	 * before the context closes.
	 */
	@Bean
	LoopThreads delayForwarder(ConsumerFactory<?, ?> consumerFactory, ProducerFactory<?, ?> producerFactory,
			FailureRouter failures, TopicLayout topics, DelayRouting routing, OrchestratorProperties properties,
			Clock clock, LoopMonitor monitor, DelayStats stats) {
		DelayForwarder.Settings settings = new DelayForwarder.Settings(properties.kafka().pollTimeout(),
				properties.kafka().commitInterval());
		return new LoopThreads(List.of(LOOP_NAME),
				(heartbeat) -> new DelayForwarder(consumer(consumerFactory, properties), producer(producerFactory),
						failures::deadLetter, topics, routing, clock, settings, heartbeat, stats),
				monitor, () -> STALL_AFTER, SmartLifecycle.DEFAULT_PHASE - 1024);
	}

	/**
	 * A consumer of the group every replica's forwarder joins, with the role's cluster
	 * and security settings.
	 */
	@SuppressWarnings("unchecked")
	private static Consumer<String, byte[]> consumer(ConsumerFactory<?, ?> factory, OrchestratorProperties properties) {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		overrides.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
				Long.toString(properties.kafka().fetchMaxBytes().toBytes()));
		overrides.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
				Long.toString(properties.kafka().maxPartitionFetchBytes().toBytes()));
		// Only partitions that move are revoked, so a replica joining costs the others
		// little.
		overrides.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		return (Consumer<String, byte[]>) factory.createConsumer(properties.consumerGroup() + "-delay", null, "-delay",
				overrides);
	}

	/**
	 * A producer of the forwarder's own, with the role's settings (acks=all, idempotence,
	 * security): sent straight through the Kafka client, without the template's per-send
	 * locking.
	 */
	private static Producer<String, byte[]> producer(ProducerFactory<?, ?> factory) {
		Map<String, Object> config = new HashMap<>(factory.getConfigurationProperties());
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		Object clientId = config.get(ProducerConfig.CLIENT_ID_CONFIG);
		if (clientId != null) {
			config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-delay");
		}
		return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

}
