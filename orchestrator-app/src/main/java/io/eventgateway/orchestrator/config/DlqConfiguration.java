package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.orchestrator.dlq.DeadLetterReader;
import io.eventgateway.orchestrator.dlq.DeadLetterRedriver;
import io.eventgateway.orchestrator.dlq.DlqEndpoint;
import io.eventgateway.orchestrator.dlq.RedriveLedger;
import io.eventgateway.orchestrator.dlq.RedriveMeter;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Wires the dead-letter tools (list, show, redrive) to the primary cluster, for the
 * {@code dlq} actuator endpoint and the {@code dlq} command. Depends only on beans every
 * role has, so that the command can start it without the orchestrator's sources.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DlqProperties.class)
public class DlqConfiguration {

	@Bean
	DeadLetterReader deadLetterReader(ConsumerFactory<?, ?> consumerFactory, TopicLayout topics,
			DlqProperties properties) {
		return new DeadLetterReader(consumers(consumerFactory), topics.dlq(), properties.readTimeout());
	}

	/**
	 * {@code <prefix>.dlq.redriven}, compacted, created when missing with the settings of
	 * every gateway topic (partitions, replication, min.insync.replicas) unless
	 * {@code gateway.topics.create} is off.
	 */
	@Bean
	RedriveLedger redriveLedger(ConsumerFactory<?, ?> consumerFactory, KafkaAdmin kafkaAdmin, TopicLayout topics,
			GatewayTopicsProperties topicSettings, DlqProperties properties) {
		return new RedriveLedger(consumers(consumerFactory), admins(kafkaAdmin),
				TopicBuilder.name(topics.dlq() + ".redriven")
					.partitions(topicSettings.partitions())
					.replicas(topicSettings.replicationFactor())
					.configs(topicSettings.topicConfigs())
					.compact()
					// Compaction keeps a letter's last marker only: not before every run
					// that
					// could still be checking its claim is long done.
					.config(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofDays(1).toMillis()))
					.build(),
				topicSettings.create(), properties.readTimeout());
	}

	@Bean
	RedriveMeter redriveMeter() {
		return new RedriveMeter();
	}

	@Bean
	DeadLetterRedriver deadLetterRedriver(DeadLetterReader reader, RedriveLedger ledger,
			ProducerFactory<?, ?> producerFactory, KafkaAdmin kafkaAdmin, TopicLayout topics, Clock clock,
			RedriveMeter meter, DlqProperties properties) {
		return new DeadLetterRedriver(reader, ledger, producers(producerFactory), admins(kafkaAdmin), topics, clock,
				meter, properties.readTimeout());
	}

	@Bean
	DlqEndpoint dlqEndpoint(DeadLetterReader reader, DeadLetterRedriver redriver) {
		return new DlqEndpoint(reader, redriver);
	}

	/** Consumers of no group, with the role's cluster and security settings. */
	private static Supplier<Consumer<String, byte[]>> consumers(ConsumerFactory<?, ?> factory) {
		Map<String, Object> config = new HashMap<>(factory.getConfigurationProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// Looking for a topic must not create it (a deleted origin, a missing ledger).
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		return () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
	}

	/** Producers with the role's settings (acks=all, idempotence, security). */
	private static Supplier<Producer<String, byte[]>> producers(ProducerFactory<?, ?> factory) {
		Map<String, Object> config = new HashMap<>(factory.getConfigurationProperties());
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		return () -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	private static Supplier<Admin> admins(KafkaAdmin kafkaAdmin) {
		Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
		return () -> Admin.create(config);
	}

}
