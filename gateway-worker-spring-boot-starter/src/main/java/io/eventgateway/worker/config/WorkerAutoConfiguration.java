package io.eventgateway.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.eventgateway.common.autoconfigure.GatewayCommonAutoConfiguration;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.worker.fetch.AnswerProducer;
import io.eventgateway.worker.fetch.FetchLoop;
import io.eventgateway.worker.fetch.LeaseRenewer;
import io.eventgateway.worker.fetch.PrefetchReleases;
import io.eventgateway.worker.fetch.ResponsePublisher;
import io.eventgateway.worker.fleet.AddressResolver;
import io.eventgateway.worker.fleet.OrchestratorChannels;
import io.eventgateway.worker.fleet.OrchestratorDiscovery;
import io.eventgateway.worker.fleet.OrchestratorFleet;
import io.eventgateway.worker.fleet.OrchestratorFleetHealthIndicator;
import io.eventgateway.worker.fleet.ReplicaRotation;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * Turns an application with an {@link EventProcessor} bean into a worker: fetch loops
 * over the orchestrator replicas that {@code gateway.worker.orchestrators} resolves to
 * (channels with the settings of {@code spring.grpc.client.channels.orchestrator}), lease
 * renewal, answers through the worker's own producer, the {@code orchestrator} health
 * indicator, the worker's meters and {@code /actuator/gateway}.
 *
 * <p>
 * Without an {@code EventProcessor} bean nothing here applies, so that other roles
 * sharing a classpath with the worker (the standalone mode) do not become workers.
 */
@AutoConfiguration(after = { GatewayCommonAutoConfiguration.class, KafkaAutoConfiguration.class })
@ConditionalOnBean(EventProcessor.class)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerAutoConfiguration {

	/**
	 * Slack on top of the longest legitimate iteration before a fetch loop counts as
	 * stalled.
	 */
	private static final Duration STALL_MARGIN = Duration.ofSeconds(30);

	@Bean
	@ConditionalOnMissingBean
	WorkerStats workerStats(MeterRegistry registry) {
		return new WorkerStats(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	WorkerGatewayEndpoint workerGatewayEndpoint(WorkerProperties properties, WorkerStats stats) {
		return new WorkerGatewayEndpoint(properties, stats);
	}

	/** How orchestrator host names are resolved; tests put a fake in its place. */
	@Bean
	@ConditionalOnMissingBean
	AddressResolver orchestratorResolver() {
		return AddressResolver.system();
	}

	@Bean
	@ConditionalOnMissingBean
	OrchestratorFleet orchestratorFleet(WorkerProperties properties, AddressResolver orchestratorResolver,
			GrpcClientProperties grpcClient, SslBundles sslBundles) {
		WorkerProperties.Tls tls = properties.tls();
		return new OrchestratorFleet(properties.orchestratorTargets(), orchestratorResolver, new OrchestratorChannels(
				grpcClient, tls.enabled() ? tlsBundle(sslBundles, tls.bundle()) : null, tls.authority()));
	}

	private static SslBundle tlsBundle(SslBundles sslBundles, String name) {
		try {
			return sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new IllegalArgumentException("gateway.worker.tls.bundle names SSL bundle '" + name
					+ "', which is not configured (spring.ssl.bundle.pem." + name + ".*)", ex);
		}
	}

	/** Re-resolves the orchestrators; starts before the fetch loops, stops after them. */
	@Bean
	@ConditionalOnMissingBean
	OrchestratorDiscovery orchestratorDiscovery(OrchestratorFleet orchestratorFleet, WorkerProperties properties,
			LoopMonitor monitor) {
		return new OrchestratorDiscovery(orchestratorFleet, properties::discoveryInterval, monitor,
				SmartLifecycle.DEFAULT_PHASE - 1);
	}

	/** {@code orchestrator} in {@code /actuator/health}. */
	@Bean
	@ConditionalOnMissingBean(name = "orchestratorHealthIndicator")
	OrchestratorFleetHealthIndicator orchestratorHealthIndicator(OrchestratorFleet orchestratorFleet) {
		return new OrchestratorFleetHealthIndicator(orchestratorFleet, Duration.ofSeconds(2));
	}

	/**
	 * Renews the leases of batches in progress; closed (its thread ended) on shutdown.
	 */
	@Bean
	@ConditionalOnMissingBean
	LeaseRenewer leaseRenewer(WorkerStats stats, Clock clock, WorkerProperties properties) {
		return new LeaseRenewer(stats, clock, properties.maxProcessingTime());
	}

	/**
	 * Sends the releases of batches fetched ahead that waited too long, off the renewal
	 * thread; room for every batch the loops may have waiting ahead at once. Closed (its
	 * thread ended) on shutdown.
	 */
	@Bean
	@ConditionalOnMissingBean
	PrefetchReleases prefetchReleases(WorkerStats stats, WorkerProperties properties) {
		return new PrefetchReleases(stats, Math.max(1, properties.concurrency() * properties.prefetch()));
	}

	/**
	 * The worker's own producer for its answers; the application's Kafka template and
	 * producer settings cannot change what the orchestrator reads. Not replaceable by
	 * type: a test or an application that must replace it names it.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "gatewayWorkerAnswerProducer")
	AnswerProducer gatewayWorkerAnswerProducer(KafkaProperties kafka, KafkaConnectionDetails connection,
			ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers, WorkerProperties properties) {
		Map<String, Object> settings = kafka.buildProducerProperties();
		KafkaConnectionDetails.Configuration producer = connection.getProducer();
		settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, producer.getBootstrapServers());
		if (producer.getSecurityProtocol() != null) {
			settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, producer.getSecurityProtocol());
		}
		return new AnswerProducer(settings, properties.answerLinger(),
				customizers.orderedStream()
					.<Consumer<DefaultKafkaProducerFactory<String, byte[]>>>map((customizer) -> customizer::customize)
					.toList());
	}

	@Bean
	@ConditionalOnMissingBean(name = "fetchLoops")
	LoopThreads fetchLoops(WorkerProperties properties, OrchestratorFleet orchestratorFleet, EventProcessor processor,
			@Qualifier("gatewayWorkerAnswerProducer") AnswerProducer answers, TopicLayout topics, LeaseRenewer renewer,
			PrefetchReleases releases, WorkerStats stats, Clock clock, LoopMonitor monitor, EventTracing tracing) {
		String workerId = properties.workerId().isEmpty() ? defaultWorkerId() : properties.workerId();
		ResponsePublisher responses = new ResponsePublisher(answers.template(), topics.responses(), workerId, stats);
		FetchLoop.Settings settings = new FetchLoop.Settings(workerId, properties.maxTasksPerBatch(),
				properties.maxWait(), properties.maxBatches(), properties.execute(), properties.prefetch(),
				properties.prefetchHold(), properties.prefetchLead());
		List<String> names = IntStream.range(0, properties.concurrency()).mapToObj((i) -> "fetch-loop-" + i).toList();
		// The longest healthy iteration: a fetch that waits its full time and its margin,
		// then a batch processed up to the cap; STALL_MARGIN covers answering it.
		Duration stallAfter = properties.maxWait()
			.plus(FetchLoop.RPC_MARGIN)
			.plus(properties.maxProcessingTime())
			.plus(STALL_MARGIN);
		// Each loop starts its rotation at its own replica, so that the loops spread out.
		AtomicInteger loops = new AtomicInteger();
		return new LoopThreads(names,
				(heartbeat) -> new FetchLoop(new ReplicaRotation(orchestratorFleet, loops.getAndIncrement()), processor,
						responses, renewer, releases, stats, clock, heartbeat, settings, tracing),
				monitor, () -> stallAfter, SmartLifecycle.DEFAULT_PHASE);
	}

	private static String defaultWorkerId() {
		try {
			return InetAddress.getLocalHost().getHostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
		}
		catch (UnknownHostException ex) {
			return "worker-" + UUID.randomUUID().toString().substring(0, 8);
		}
	}

}
