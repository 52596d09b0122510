package io.eventgateway.worker.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;

import io.eventgateway.common.health.GrpcDownstreamHealthIndicator;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.worker.fetch.FetchLoop;
import io.eventgateway.worker.fetch.LeaseRenewer;
import io.eventgateway.worker.fetch.ResponsePublisher;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.LoggingEventProcessor;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import io.grpc.ManagedChannel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires the worker: fetch loops over a gRPC channel named "orchestrator"
 * ({@code spring.grpc.client.channels.orchestrator.address}), the user's
 * {@link EventProcessor} (or the logging default), and answers through the
 * auto-configured Kafka template.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class WorkerConfiguration {

	/**
	 * Slack on top of the longest legitimate iteration before a fetch loop counts as
	 * stalled.
	 */
	private static final Duration STALL_MARGIN = Duration.ofSeconds(30);

	@Bean
	@ConditionalOnMissingBean
	EventProcessor eventProcessor() {
		return new LoggingEventProcessor();
	}

	@Bean
	WorkerStats workerStats(MeterRegistry registry) {
		return new WorkerStats(registry);
	}

	@Bean
	WorkerGatewayEndpoint workerGatewayEndpoint(WorkerProperties properties, WorkerStats stats) {
		return new WorkerGatewayEndpoint(properties, stats);
	}

	@Bean
	ManagedChannel orchestratorChannel(GrpcChannelFactory channels) {
		return channels.createChannel("orchestrator");
	}

	@Bean
	EventsOrchestratorGrpc.EventsOrchestratorBlockingStub orchestratorStub(ManagedChannel orchestratorChannel) {
		return EventsOrchestratorGrpc.newBlockingStub(orchestratorChannel);
	}

	/** {@code orchestrator} in {@code /actuator/health}. */
	@Bean
	GrpcDownstreamHealthIndicator orchestratorHealthIndicator(ManagedChannel orchestratorChannel) {
		return new GrpcDownstreamHealthIndicator(orchestratorChannel, Duration.ofSeconds(2));
	}

	/**
	 * Renews the leases of batches in progress; closed (its thread ended) on shutdown.
	 */
	@Bean
	LeaseRenewer leaseRenewer(ManagedChannel orchestratorChannel, WorkerStats stats, Clock clock,
			WorkerProperties properties) {
		return new LeaseRenewer(EventsOrchestratorGrpc.newStub(orchestratorChannel), stats, clock,
				properties.maxProcessingTime());
	}

	@Bean
	LoopThreads fetchLoops(WorkerProperties properties, EventsOrchestratorGrpc.EventsOrchestratorBlockingStub stub,
			EventProcessor processor, KafkaTemplate<String, byte[]> kafkaTemplate, TopicLayout topics,
			LeaseRenewer renewer, WorkerStats stats, Clock clock, LoopMonitor monitor) {
		String workerId = properties.workerId().isEmpty() ? defaultWorkerId() : properties.workerId();
		ResponsePublisher responses = new ResponsePublisher(kafkaTemplate, topics.responses(), workerId, stats);
		FetchLoop.Settings settings = new FetchLoop.Settings(workerId, properties.maxTasksPerBatch(),
				properties.maxWait(), properties.maxBatches(), properties.execute());
		List<String> names = IntStream.range(0, properties.concurrency()).mapToObj((i) -> "fetch-loop-" + i).toList();
		// The longest healthy iteration: a fetch that waits its full time and its margin,
		// then a batch processed up to the cap; STALL_MARGIN covers answering it.
		Duration stallAfter = properties.maxWait()
			.plus(FetchLoop.RPC_MARGIN)
			.plus(properties.maxProcessingTime())
			.plus(STALL_MARGIN);
		return new LoopThreads(names,
				(heartbeat) -> new FetchLoop(stub, processor, responses, renewer, stats, clock, heartbeat, settings),
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
