package io.eventgateway.publisher.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.publisher.failure.DirectorySpool;
import io.eventgateway.publisher.failure.EventSpool;
import io.eventgateway.publisher.failure.FailedWritesProcessor;
import io.eventgateway.publisher.failure.FailureCapture;
import io.eventgateway.publisher.failure.S3Spool;
import io.eventgateway.publisher.failure.SpoolReplayTask;
import io.eventgateway.publisher.failure.SpoolReplayer;
import io.eventgateway.publisher.produce.ClusterProducers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Wires the failure chain (fallback cluster, then spool), the failed-writes processor
 * role and the spool replayer behind the {@code republish} command.
 */
@Configuration(proxyBeanMethods = false)
class FailureChainConfiguration {

	private static final Log logger = LogFactory.getLog(FailureChainConfiguration.class);

	@Bean
	EventSpool eventSpool(PublisherProperties properties) throws IOException {
		PublisherProperties.Spool spool = properties.spool();
		if (spool.type() == PublisherProperties.SpoolType.DIRECTORY) {
			return new DirectorySpool(Path.of(spool.directory()));
		}
		S3ClientBuilder s3 = S3Client.builder().region(Region.of(spool.s3().region()));
		if (!spool.s3().endpoint().isBlank()) {
			s3.endpointOverride(URI.create(spool.s3().endpoint())).forcePathStyle(true);
		}
		return new S3Spool(s3.build(), spool.s3().bucket(), spool.s3().prefix());
	}

	@Bean(destroyMethod = "shutdown")
	ExecutorService spoolExecutor() {
		return Executors.newFixedThreadPool(2, (runnable) -> new Thread(runnable, "spool-writer"));
	}

	@Bean(destroyMethod = "close")
	ClusterProducers fallbackProducers(KafkaProperties kafka, PublisherProperties properties, TopicLayout topics,
			GatewayTopicsProperties topicSettings) {
		String bootstrap = properties.fallbackCluster().isConfigured() ? properties.fallbackCluster().bootstrapServers()
				: String.join(",", kafka.getBootstrapServers());
		if (properties.fallbackCluster().isConfigured() && topicSettings.create()) {
			createFailedWritesTopic(bootstrap, topics.failedWrites(), topicSettings);
		}
		// Producers connect on first send: without a fallback cluster these never do.
		return new ClusterProducers("fallback", kafka.buildProducerProperties(), bootstrap,
				properties.producers().byLane());
	}

	@Bean
	FailureCapture failureCapture(ClusterProducers fallbackProducers, PublisherProperties properties,
			TopicLayout topics, EventSpool spool, ExecutorService spoolExecutor) {
		return new FailureCapture(properties.fallbackCluster().isConfigured() ? fallbackProducers : null,
				topics.failedWrites(), spool, spoolExecutor);
	}

	@Bean
	SpoolReplayer spoolReplayer(EventSpool spool, ClusterProducers primaryProducers, PublisherProperties properties) {
		return new SpoolReplayer(spool, primaryProducers, properties.failedWritesProcessor().writeTimeout());
	}

	@Bean
	SpoolReplayTask spoolReplayTask(SpoolReplayer replayer, PublisherProperties properties, LoopMonitor monitor) {
		return new SpoolReplayTask(replayer, properties.spool().replayInterval(), monitor);
	}

	@Bean
	@ConditionalOnBooleanProperty("gateway.publisher.failed-writes-processor.enabled")
	LoopThreads failedWritesProcessor(ConsumerFactory<?, ?> consumerFactory, PublisherProperties properties,
			TopicLayout topics, ClusterProducers primaryProducers, EventSpool spool, LoopMonitor monitor) {
		if (!properties.fallbackCluster().isConfigured()) {
			throw new IllegalStateException("gateway.publisher.failed-writes-processor.enabled needs"
					+ " gateway.publisher.fallback-cluster.bootstrap-servers");
		}
		PublisherProperties.FailedWritesProcessor settings = properties.failedWritesProcessor();
		return new LoopThreads(List.of("failed-writes-processor"),
				(heartbeat) -> new FailedWritesProcessor(
						failedWritesConsumer(
								consumerFactory, properties.fallbackCluster().bootstrapServers(), topics.prefix()),
						topics.failedWrites(), primaryProducers, spool,
						new FailedWritesProcessor.Settings(settings.maxAttempts(), settings.initialBackoff(),
								settings.maxBackoff(), settings.writeTimeout())),
				monitor, () -> java.time.Duration.ofMinutes(5), SmartLifecycle.DEFAULT_PHASE);
	}

	@SuppressWarnings("unchecked")
	private static Consumer<String, byte[]> failedWritesConsumer(ConsumerFactory<?, ?> factory, String bootstrap,
			String prefix) {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		return (Consumer<String, byte[]>) factory.createConsumer(prefix + "-failed-writes-processor", null, null,
				overrides);
	}

	/**
	 * Best effort: the fallback cluster may be down at startup, which must not stop the
	 * publisher.
	 */
	private static void createFailedWritesTopic(String bootstrap, String topic, GatewayTopicsProperties settings) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				5_000))) {
			admin.createTopics(List.of(new NewTopic(topic, settings.partitions(), settings.replicationFactor())))
				.all()
				.get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (!(ex.getCause() instanceof TopicExistsException)) {
				logger.warn("Could not create " + topic + " on the fallback cluster: " + ex.getCause().getMessage());
			}
		}
		catch (TimeoutException ex) {
			logger.warn("Could not create " + topic + " on the fallback cluster in time");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
