package io.eventgateway.publisher.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import io.eventgateway.common.kafka.security.KafkaClusterSecurity;
import io.eventgateway.common.kafka.security.KafkaCluster;
import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.environment.EnvironmentRules;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.publisher.failure.DirectorySpool;
import io.eventgateway.publisher.failure.EventSpool;
import io.eventgateway.publisher.failure.FailedWritesMeters;
import io.eventgateway.publisher.failure.FailedWritesProcessor;
import io.eventgateway.publisher.failure.FailureCapture;
import io.eventgateway.publisher.failure.KafkaReplayLock;
import io.eventgateway.publisher.failure.ReplayPermit;
import io.eventgateway.publisher.failure.S3Spool;
import io.eventgateway.publisher.failure.SpoolBacklog;
import io.eventgateway.publisher.failure.SpoolBacklogTask;
import io.eventgateway.publisher.failure.SpoolDrain;
import io.eventgateway.publisher.failure.SpoolMeters;
import io.eventgateway.publisher.failure.SpoolReplayTask;
import io.eventgateway.publisher.failure.SpoolReplayer;
import io.eventgateway.publisher.failure.UnusableRecordException;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.Lane;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerPausingBackOffHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerContainerPauseService;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Wires the failure chain (fallback cluster, then spool), the failed-writes processor
 * role, and the spool's replay: periodic, at stop, and behind the {@code republish}
 * command, under the replay lock when the spool is shared.
 */
@Configuration(proxyBeanMethods = false)
class FailureChainConfiguration {

	private static final Log logger = LogFactory.getLog(FailureChainConfiguration.class);

	/** Replay intervals without a listing after which the spool's backlog is unknown. */
	private static final int SPOOL_BACKLOG_MAX_AGE_IN_REPLAY_INTERVALS = 3;

	/** How often the spool is listed for its gauges while replays are switched off. */
	private static final Duration SPOOL_BACKLOG_LISTING_WITHOUT_REPLAYS = Duration.ofSeconds(30);

	@Bean
	EventSpool eventSpool(PublisherProperties properties, EnvironmentRules environment) throws IOException {
		PublisherProperties.Spool spool = properties.spool();
		spool.checkFor(environment.stage());
		if (spool.type() == PublisherProperties.SpoolType.DIRECTORY) {
			return new DirectorySpool(Path.of(spool.directory()));
		}
		S3ClientBuilder s3 = S3Client.builder().region(Region.of(spool.s3().region()));
		if (!spool.s3().endpoint().isBlank()) {
			s3.endpointOverride(URI.create(spool.s3().endpoint())).forcePathStyle(true);
		}
		return new S3Spool(s3.build(), spool.s3().bucket(), spool.s3().prefix());
	}

	/**
	 * The threads that start sends to the fallback cluster, which block while its
	 * metadata is unknown: apart from the spool writes, so that those never wait behind
	 * them. A bounded queue; when it is full the event goes straight to the spool.
	 */
	@Bean(destroyMethod = "shutdown")
	ExecutorService failureChainFallbackExecutor(PublisherProperties properties) {
		PublisherProperties.FailureChain chain = properties.failureChain();
		return boundedExecutor(chain.fallbackThreads(), chain.queueCapacity(), "failure-chain-fallback-");
	}

	/**
	 * The threads that write to the spool (file or object-store I/O). A bounded queue;
	 * when it is full the event is answered as not stored.
	 */
	@Bean(destroyMethod = "shutdown")
	ExecutorService failureChainSpoolExecutor(PublisherProperties properties) {
		PublisherProperties.FailureChain chain = properties.failureChain();
		return boundedExecutor(chain.spoolThreads(), chain.queueCapacity(), "failure-chain-spool-");
	}

	/** The fallback-send queue and activity, as {@code gateway.publisher.executor.*}. */
	@Bean
	ExecutorServiceMetrics failureChainFallbackExecutorMetrics(ExecutorService failureChainFallbackExecutor) {
		return new ExecutorServiceMetrics(failureChainFallbackExecutor, "failure-chain-fallback", "gateway.publisher",
				List.of());
	}

	/** The spool-write queue and activity, as {@code gateway.publisher.executor.*}. */
	@Bean
	ExecutorServiceMetrics failureChainSpoolExecutorMetrics(ExecutorService failureChainSpoolExecutor) {
		return new ExecutorServiceMetrics(failureChainSpoolExecutor, "failure-chain-spool", "gateway.publisher",
				List.of());
	}

	@Bean(destroyMethod = "close")
	ClusterProducers fallbackProducers(KafkaProperties kafka, PublisherProperties properties, TopicLayout topics,
			GatewayTopicsProperties topicSettings, KafkaClusterSecurity security,
			ExecutorService publishCompletionExecutor) {
		String bootstrap = properties.fallbackCluster().isConfigured() ? properties.fallbackCluster().bootstrapServers()
				: String.join(",", kafka.getBootstrapServers());
		if (properties.fallbackCluster().isConfigured() && topicSettings.create()) {
			createFallbackTopics(security.forCluster(KafkaCluster.FALLBACK, kafka.buildAdminProperties()), bootstrap,
					List.of(topics.failedWrites(), topics.parkedFailedWrites()), topicSettings);
		}
		// Producers connect on first send: without a fallback cluster these never do.
		Map<String, Object> producer = properties.fallbackCluster().isConfigured()
				? security.forCluster(KafkaCluster.FALLBACK, kafka.buildProducerProperties())
				: kafka.buildProducerProperties();
		return new ClusterProducers("fallback", producer, bootstrap, properties.producers().byLane(),
				publishCompletionExecutor);
	}

	@Bean
	FailureCapture failureCapture(ClusterProducers fallbackProducers, PublisherProperties properties,
			TopicLayout topics, EventSpool spool, ExecutorService failureChainFallbackExecutor,
			ExecutorService failureChainSpoolExecutor) {
		return new FailureCapture(properties.fallbackCluster().isConfigured() ? fallbackProducers : null,
				topics.failedWrites(), spool, failureChainFallbackExecutor, failureChainSpoolExecutor,
				properties.failureChain().fallbackMaxWait());
	}

	/**
	 * Whether this instance may replay the spool: always for a spool of its own; for a
	 * shared one, only while it holds partition 0 of the lock topic in the lock's group.
	 */
	@Bean
	ReplayPermit spoolReplayPermit(PublisherProperties properties, KafkaProperties kafka, TopicLayout topics) {
		if (!properties.spool().isShared()) {
			return ReplayPermit.exclusive();
		}
		Map<String, Object> member = KafkaReplayLock.memberProperties(kafka.buildConsumerProperties(),
				spoolReplayGroup(topics));
		return new KafkaReplayLock(spoolReplayLockTopic(topics), () -> new KafkaConsumer<>(member));
	}

	/**
	 * Keeps this instance in the replay lock's group while it runs (nothing for a spool
	 * of its own). Starts before and stops after the replays, so that the drain at stop
	 * still holds the lock.
	 */
	@Bean
	LoopThreads spoolReplayLockThreads(ReplayPermit permit, PublisherProperties properties, LoopMonitor monitor) {
		if (!(permit instanceof KafkaReplayLock lock)) {
			return new LoopThreads(List.of(), (heartbeat) -> null, monitor, () -> Duration.ZERO,
					SpoolDrain.PHASE - 1000);
		}
		// A revocation waits for the entry in flight, which takes at most a write
		// timeout.
		Duration stallAfter = properties.failedWritesProcessor().writeTimeout().plus(Duration.ofMinutes(1));
		return new LoopThreads(List.of("spool-replay-lock"), lock::membership, monitor, () -> stallAfter,
				SpoolDrain.PHASE - 1000);
	}

	/**
	 * The single-partition lock topic, on the primary cluster, when the spool is shared.
	 */
	@Bean
	@ConditionalOnBooleanProperty(name = "gateway.topics.create", matchIfMissing = true)
	KafkaAdmin.NewTopics spoolReplayLockTopic(PublisherProperties properties, TopicLayout topics,
			GatewayTopicsProperties topicSettings) {
		if (!properties.spool().isShared()) {
			return new KafkaAdmin.NewTopics();
		}
		return new KafkaAdmin.NewTopics(TopicBuilder.name(spoolReplayLockTopic(topics))
			.partitions(1)
			.replicas(topicSettings.replicationFactor())
			.configs(topicSettings.topicConfigs())
			.build());
	}

	/**
	 * The spool's backlog for its gauges, learned on the replay task's thread: from every
	 * replay pass, and for a directory also by listing it when another instance replays;
	 * an object store only by replay passes, since listing it costs a request per
	 * thousand events. Unknown once no listing came for three replay intervals.
	 */
	@Bean
	SpoolBacklog spoolBacklog(EventSpool spool, Clock clock, PublisherProperties properties) {
		return new SpoolBacklog(spool, clock,
				backlogListingInterval(properties).multipliedBy(SPOOL_BACKLOG_MAX_AGE_IN_REPLAY_INTERVALS),
				spool instanceof DirectorySpool);
	}

	/**
	 * With replays switched off, nothing else lists the spool: a task of its own does, so
	 * that events waiting for {@code republish} still show.
	 */
	@Bean
	SpoolBacklogTask spoolBacklogTask(SpoolBacklog backlog, PublisherProperties properties, LoopMonitor monitor) {
		Duration interval = properties.spool().replayInterval().isZero() ? backlogListingInterval(properties)
				: Duration.ZERO;
		return new SpoolBacklogTask(backlog, interval, monitor);
	}

	private static Duration backlogListingInterval(PublisherProperties properties) {
		Duration replay = properties.spool().replayInterval();
		return replay.isZero() ? SPOOL_BACKLOG_LISTING_WITHOUT_REPLAYS : replay;
	}

	@Bean
	SpoolReplayer spoolReplayer(EventSpool spool, ClusterProducers primaryProducers, PublisherProperties properties,
			ReplayPermit permit, SpoolBacklog backlog, DelayRouting delayRouting) {
		return new SpoolReplayer(spool, primaryProducers, properties.failedWritesProcessor().writeTimeout(), permit,
				backlog, delayRouting);
	}

	@Bean
	SpoolDrain spoolDrain(SpoolReplayer replayer, PublisherProperties properties, Clock clock) {
		return new SpoolDrain(replayer, properties.spool().drainOnStop(), clock);
	}

	@Bean
	SpoolReplayTask spoolReplayTask(SpoolReplayer replayer, PublisherProperties properties, LoopMonitor monitor) {
		return new SpoolReplayTask(replayer, properties.spool().replayInterval(), monitor);
	}

	@Bean
	SpoolMeters spoolMeters(EventSpool spool, SpoolReplayer replayer, SpoolBacklog backlog) {
		return new SpoolMeters(spool, replayer, backlog);
	}

	/**
	 * The failed-writes processor role: a Spring Kafka listener container on the fallback
	 * cluster whose error handler retries each failed write with back-off, then spools
	 * it; unusable records are parked at once.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("gateway.publisher.failed-writes-processor.enabled")
	static class FailedWritesProcessorConfiguration {

		/**
		 * How long the consumer may go between polls before it leaves its group; the
		 * records handed out per poll are sized to fit in it.
		 */
		private static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(5);

		private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

		@Bean
		FailedWritesProcessor failedWritesProcessor(PublisherProperties properties, TopicLayout topics,
				ClusterProducers primaryProducers, ClusterProducers fallbackProducers, EventSpool spool,
				DelayRouting delayRouting) {
			if (!properties.fallbackCluster().isConfigured()) {
				throw new IllegalStateException("gateway.publisher.failed-writes-processor.enabled needs"
						+ " gateway.publisher.fallback-cluster.bootstrap-servers");
			}
			Set<String> intendedTopics = Arrays.stream(Lane.values())
				.map((lane) -> lane.topic(topics))
				.collect(Collectors.toSet());
			// Parked records are rare and carry no priority: the bulk lane's producer
			// will do. The delay topics are intended topics too.
			return new FailedWritesProcessor(primaryProducers, fallbackProducers.forLane(Lane.P10),
					topics.parkedFailedWrites(), intendedTopics, spool, processorSettings(properties), delayRouting);
		}

		@Bean
		FailedWritesMeters failedWritesMeters(FailedWritesProcessor processor) {
			return new FailedWritesMeters(processor);
		}

		/** Resumes the container after a back-off pause. */
		@Bean
		ThreadPoolTaskScheduler failedWritesResumeScheduler() {
			ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
			scheduler.setThreadNamePrefix("failed-writes-resume-");
			return scheduler;
		}

		/**
		 * A bean, so that the context starts and stops it and it publishes its consumer
		 * events, which {@code ListenerContainerWatch} reports to liveness as
		 * {@code listener-failedWritesProcessorContainer}.
		 */
		@Bean
		ConcurrentMessageListenerContainer<String, byte[]> failedWritesProcessorContainer(KafkaProperties kafka,
				PublisherProperties properties, TopicLayout topics, FailedWritesProcessor processor,
				ThreadPoolTaskScheduler failedWritesResumeScheduler, KafkaClusterSecurity security) {
			FailedWritesProcessor.Settings settings = processorSettings(properties);
			Map<String, Object> consumer = security.forCluster(KafkaCluster.FALLBACK, kafka.buildConsumerProperties());
			consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.fallbackCluster().bootstrapServers());
			consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
			consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
			consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
			consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
			consumer.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) MAX_POLL_INTERVAL.toMillis());
			consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords(MAX_POLL_INTERVAL));

			ContainerProperties container = new ContainerProperties(topics.failedWrites());
			container.setGroupId(topics.prefix() + "-failed-writes-processor");
			container.setClientId("gateway-publisher-failed-writes");
			// Each record is committed once its write is acknowledged (or it is parked or
			// spooled), never before.
			container.setAckMode(ContainerProperties.AckMode.RECORD);
			container.setPollTimeout(POLL_TIMEOUT.toMillis());
			// Non-responsive only when a poll is overdue by the whole poll interval: one
			// record may legitimately block for a write timeout or two.
			container.setNoPollThreshold((float) MAX_POLL_INTERVAL.toMillis() / POLL_TIMEOUT.toMillis());
			container.setMessageListener((MessageListener<String, byte[]>) processor::republish);

			DefaultErrorHandler errors = new DefaultErrorHandler(processor::recover, settings.backOff(),
					new ContainerPausingBackOffHandler(
							new ListenerContainerPauseService(null, failedWritesResumeScheduler)));
			errors.addNotRetryableExceptions(UnusableRecordException.class);
			errors.setRetryListeners(processor::attemptFailed);

			ConcurrentMessageListenerContainer<String, byte[]> listener = new ConcurrentMessageListenerContainer<>(
					new DefaultKafkaConsumerFactory<>(consumer), container);
			listener.setCommonErrorHandler(errors);
			return listener;
		}

		private static FailedWritesProcessor.Settings processorSettings(PublisherProperties properties) {
			PublisherProperties.FailedWritesProcessor settings = properties.failedWritesProcessor();
			return new FailedWritesProcessor.Settings(settings.maxAttempts(), settings.initialBackoff(),
					settings.maxBackoff(), settings.writeTimeout());
		}

	}

	/**
	 * A fixed pool whose full queue refuses tasks ({@link FailureCapture} then takes the
	 * next step of the chain).
	 */
	private static ExecutorService boundedExecutor(int threads, int queueCapacity, String threadPrefix) {
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(queueCapacity), new CustomizableThreadFactory(threadPrefix),
				new ThreadPoolExecutor.AbortPolicy());
	}

	/**
	 * The topic whose partition 0 is the replay lock of a shared spool. Instances that
	 * share a spool share the topic prefix (and the primary cluster) too.
	 */
	private static String spoolReplayLockTopic(TopicLayout topics) {
		return topics.prefix() + ".spool-replay-lock";
	}

	private static String spoolReplayGroup(TopicLayout topics) {
		return topics.prefix() + "-spool-replay";
	}

	/**
	 * Best effort: the fallback cluster may be down at startup, which must not stop the
	 * publisher.
	 */
	private static void createFallbackTopics(Map<String, Object> adminProperties, String bootstrap, List<String> names,
			GatewayTopicsProperties settings) {
		Map<String, Object> config = new HashMap<>(adminProperties);
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
		try (Admin admin = Admin.create(config)) {
			for (String topic : names) {
				createTopic(admin, topic, settings);
			}
		}
	}

	private static void createTopic(Admin admin, String topic, GatewayTopicsProperties settings) {
		try {
			admin
				.createTopics(List.of(new NewTopic(topic, settings.partitions(), settings.replicationFactor())
					.configs(settings.topicConfigs())))
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
