package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import jakarta.validation.Validator;

import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.common.lifecycle.StoppableLoop;
import io.eventgateway.common.settings.HotSettings;
import io.eventgateway.common.settings.HotSettingsMeters;
import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.orchestrator.fleet.ServingGate;
import io.eventgateway.orchestrator.fleet.Standing;
import io.eventgateway.orchestrator.flow.FlowSignalEmitter;
import io.eventgateway.orchestrator.flow.FlowSignalSender;
import io.eventgateway.orchestrator.ack.ResponseListener;
import io.eventgateway.orchestrator.api.EventsOrchestratorGrpcService;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.intake.SourceConsumer;
import io.eventgateway.orchestrator.intake.SourceState;
import io.eventgateway.orchestrator.lease.LeaseSweeper;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.memory.MemoryBudget;
import io.eventgateway.orchestrator.memory.MemoryGate;
import io.eventgateway.orchestrator.memory.MemoryLedger;
import io.eventgateway.orchestrator.replica.ReplicaIdentity;
import io.eventgateway.orchestrator.replica.ResponsePartitions;
import io.eventgateway.orchestrator.retry.FailureRouter;
import io.eventgateway.orchestrator.retry.RetryPolicy;
import io.eventgateway.orchestrator.task.TaskStateController;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires the orchestrator's plain-Java core to Kafka and gRPC. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrchestratorProperties.class)
class OrchestratorConfiguration {

	/**
	 * A source loop polls every poll timeout (at most seconds) even while paused; one
	 * without a completed poll for this long is stuck.
	 */
	private static final java.time.Duration SOURCE_STALL_AFTER = java.time.Duration.ofMinutes(2);

	/**
	 * How long the cluster may take to describe (and extend) the responses topic at
	 * startup.
	 */
	private static final java.time.Duration RESPONSE_PARTITIONS_TIMEOUT = java.time.Duration.ofSeconds(30);

	/**
	 * The same settings, rebound on {@code /actuator/refresh}: memory thresholds and
	 * hysteresis, the retry switch, offload draining and lease handling follow it at
	 * runtime. Replica identity, consumer groups and records per poll are fixed at
	 * startup.
	 */
	@Bean
	HotSettings<OrchestratorProperties> orchestratorSettings(Environment environment, Validator validator,
			OrchestratorProperties properties, TopicLayout topics) {
		// Fetch sizes are fixed at start, so every refresh is held against those in
		// force.
		MemoryBudget budget = new MemoryBudget(Runtime.getRuntime().maxMemory());
		// One consumer per priority, one for offload, one for retry when it has levels.
		int consumers = (topics.retryLevels() > 0) ? 5 : 4;
		return new HotSettings<>("gateway.orchestrator", OrchestratorProperties.class, environment, validator,
				(next) -> budget.check(next.memoryThresholdPercent().priorities(), consumers,
						properties.kafka().fetchMaxBytes().toBytes()));
	}

	/**
	 * Which replica this is, resolved once; everything that needs the index takes it from
	 * this bean. The environment is read through Spring's, so a command-line
	 * {@code --POD_NAME=...} works as the variable would.
	 */
	@Bean
	ReplicaIdentity replicaIdentity(OrchestratorProperties properties, Environment environment) {
		return ReplicaIdentity.resolve(properties.replicaIndex(), environment::getProperty,
				properties.numberOfReplicas());
	}

	/** The {@code replica} tag on every meter of the orchestrator, beside {@code pod}. */
	@Bean
	MeterFilter replicaTag(ReplicaIdentity replica) {
		return MeterFilter.commonTags(Tags.of("replica", Integer.toString(replica.index())));
	}

	/** Refuses to start, or extends the topic, when the responses topic is too small. */
	@Bean
	ResponsePartitions responsePartitions(KafkaAdmin kafkaAdmin, TopicLayout topics, ReplicaIdentity replica,
			GatewayTopicsProperties topicSettings) {
		Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
		return new ResponsePartitions(() -> Admin.create(config), topics.responses(), replica, topicSettings.create(),
				RESPONSE_PARTITIONS_TIMEOUT);
	}

	@Bean(destroyMethod = "close")
	TaskBuffer taskBuffer() {
		return new TaskBuffer();
	}

	@Bean
	LeaseTable leaseTable(Clock clock) {
		return new LeaseTable(clock);
	}

	@Bean
	OffsetTrackers offsetTrackers() {
		return new OffsetTrackers();
	}

	@Bean
	MemoryLedger memoryLedger() {
		return new MemoryLedger();
	}

	@Bean
	RetryPolicy retryPolicy(TopicLayout topics, OrchestratorProperties properties) {
		return new RetryPolicy(topics.retryLevels(), properties.retry().baseDelay(), properties.retry().multiplier());
	}

	@Bean
	FailureRouter failureRouter(KafkaTemplate<String, byte[]> kafkaTemplate, TopicLayout topics, RetryPolicy policy,
			Clock clock) {
		return new FailureRouter(kafkaTemplate, topics, policy, clock);
	}

	@Bean
	TaskStateController taskStateController(TaskBuffer buffer, LeaseTable leases, OffsetTrackers offsets,
			MemoryLedger memory, FailureRouter failures, HotSettings<OrchestratorProperties> settings,
			MeterRegistry registry) {
		return new TaskStateController(buffer, leases, offsets, memory, failures,
				() -> new TaskStateController.Settings(settings.current().lease().timeout(),
						settings.current().lease().maxExpiries()),
				(topic) -> registry.counter("gateway.orchestrator.records.undecodable", "topic", topic).increment());
	}

	@Bean
	LeaseSweeper leaseSweeper(TaskStateController controller, OrchestratorProperties properties, LoopMonitor monitor) {
		return new LeaseSweeper(controller, properties.lease().sweepInterval(), monitor);
	}

	@Bean
	OrchestratorSources orchestratorSources(TopicLayout topics, MemoryLedger memory, TaskBuffer buffer,
			OrchestratorProperties properties, HotSettings<OrchestratorProperties> settings, ReplicaIdentity replica) {
		long maxHeap = Runtime.getRuntime().maxMemory();
		DoubleSupplier hysteresis = () -> settings.current().memoryHysteresisPercent();
		List<OrchestratorSources.Source> sources = new ArrayList<>();
		for (Priority priority : List.of(Priority.P30, Priority.P20, Priority.P10)) {
			DoubleSupplier threshold = () -> {
				OrchestratorProperties.MemoryThresholds thresholds = settings.current().memoryThresholdPercent();
				return switch (priority) {
					case P30 -> thresholds.p30();
					case P20 -> thresholds.p20();
					case P10 -> thresholds.p10();
				};
			};
			String name = priority.name().toLowerCase(java.util.Locale.ROOT);
			sources.add(source(name, SourceConsumer.Subscription.of(List.of(topics.priority(priority))),
					() -> settings.current().kafka().maxRecords(name),
					() -> memory.bytes(priority) + memory.waitingBytes(name), maxHeap, threshold, hysteresis,
					() -> true, memory));
		}
		// Offload waits until the priority topics leave the buffer nearly empty.
		sources.add(source("offload", SourceConsumer.Subscription.of(List.of(topics.offload())),
				() -> settings.current().kafka().maxRecords("offload"), memory::totalBytes, maxHeap,
				() -> settings.current().memoryThresholdPercent().offload(), hysteresis,
				() -> buffer.size() < settings.current().offload().drainBelow(), memory));
		if (topics.retryLevels() > 0) {
			SourceConsumer.Subscription retry = properties.enableExplicitRetryPartitionManagement()
					? new SourceConsumer.Subscription(topics.retryTopics(),
							(partition) -> partition % replica.numberOfReplicas() == replica.index())
					: SourceConsumer.Subscription.of(topics.retryTopics());
			sources.add(source("retry", retry, () -> settings.current().kafka().maxRecords("retry"), memory::totalBytes,
					maxHeap, () -> settings.current().memoryThresholdPercent().retry(), hysteresis,
					() -> settings.current().enableRetryConsumer(), memory));
		}
		return new OrchestratorSources(sources);
	}

	/**
	 * One consumer thread per source, so that a paused or slow source never holds up
	 * another. They stop before the gRPC server and the response listener, so that the
	 * final commit still sees every answer that arrived.
	 */
	@Bean
	LoopThreads sourceConsumers(OrchestratorSources sources, ConsumerFactory<?, ?> consumerFactory,
			TaskStateController controller, OffsetTrackers offsets, OrchestratorProperties properties,
			OrchestratorMetrics metrics, Clock clock, LoopMonitor monitor, TopicLayout topics, RetryPolicy retryPolicy,
			ServingGate servingGate, EventTracing tracing) {
		List<String> names = sources.all().stream().map((source) -> "source-" + source.state().name()).toList();
		// A retry record holds its partition at most its level's delay.
		Map<String, Long> maxHolds = new HashMap<>();
		for (int level = 1; level <= topics.retryLevels(); level++) {
			maxHolds.put(topics.retry(level), retryPolicy.delayOf(level).toMillis());
		}
		return new LoopThreads(names, (heartbeat) -> {
			OrchestratorSources.Source source = sources.named(heartbeat.name().substring("source-".length()));
			StoppableLoop loop = new SourceConsumer(
					sourceConsumer(consumerFactory, properties.consumerGroup(), properties.kafka(), source),
					source.subscription(), controller, offsets, source.state(), clock,
					new SourceConsumer.Settings(properties.kafka().pollTimeout(), source.maxRecords(),
							(topic) -> maxHolds.getOrDefault(topic, 0L), metrics::recordPollDelay,
							properties.kafka().commitInterval()),
					heartbeat, servingGate::standing, tracing);
			return loop;
		}, monitor, () -> SOURCE_STALL_AFTER, SmartLifecycle.DEFAULT_PHASE - 1024);
	}

	@Bean
	FlowSignalEmitter flowSignalEmitter(FlowSignalSender sender, ReplicaIdentity replica, TaskBuffer buffer,
			OrchestratorSources sources, HotSettings<OrchestratorProperties> settings, ServingGate servingGate,
			Clock clock, MeterRegistry registry, LoopMonitor monitor) {
		SourceState p10 = sources.named("p10").state();
		FlowSignalEmitter emitter = new FlowSignalEmitter(sender, settings.current().fleet(), replica.index(),
				() -> servingGate.standing() == Standing.SERVING, buffer, p10::isPaused,
				() -> settings.current().flowControl(), clock, monitor);
		FunctionCounter.builder("gateway.orchestrator.flow.signals", emitter, FlowSignalEmitter::decreases)
			.description("AIMD signals sent to ingest")
			.tag("kind", "DECREASE")
			.register(registry);
		FunctionCounter.builder("gateway.orchestrator.flow.signals", emitter, FlowSignalEmitter::increases)
			.description("AIMD signals sent to ingest")
			.tag("kind", "INCREASE")
			.register(registry);
		return emitter;
	}

	@Bean
	ResponseListener responseListener(TaskStateController controller, OrchestratorMetrics metrics) {
		return new ResponseListener(controller, metrics::recordPollDelay, metrics::recordUndecodable,
				metrics::recordFailed);
	}

	@Bean
	OrchestratorMetrics orchestratorMetrics(io.micrometer.core.instrument.MeterRegistry registry, TaskBuffer buffer,
			MemoryLedger memory, LeaseTable leases, TaskStateController controller, FailureRouter failures,
			OrchestratorSources sources, TopicLayout topics, Clock clock) {
		return new OrchestratorMetrics(registry, buffer, memory, leases, controller, failures, sources,
				topics.responses(), clock);
	}

	@Bean
	EventsOrchestratorGrpcService eventsOrchestratorGrpcService(TaskStateController controller, LeaseTable leases,
			OrchestratorProperties properties, ReplicaIdentity replica, OrchestratorMetrics metrics,
			ServingGate servingGate) {
		return new EventsOrchestratorGrpcService(controller, leases,
				new EventsOrchestratorGrpcService.FetchLimits(properties.fetch().maxTasks(),
						properties.fetch().maxBytes().toBytes(), properties.fetch().maxWait(),
						properties.lease().maxExtension()),
				replica.index(), metrics::recordFetch, servingGate::standing);
	}

	@Bean
	GatewayEndpoint gatewayEndpoint(TaskBuffer buffer, MemoryLedger memory, LeaseTable leases,
			TaskStateController controller, FailureRouter failures, OrchestratorSources sources,
			ReplicaIdentity replica, Clock clock, HotSettings<OrchestratorProperties> settings,
			FlowSignalEmitter flowSignals, MeterRegistry registry, ServingGate servingGate) {
		HotSettingsMeters.registerRejections(registry, "gateway.orchestrator.settings.rejected", settings);
		return new GatewayEndpoint(buffer, memory, leases, controller, failures, sources, replica, clock, settings,
				flowSignals, servingGate);
	}

	private static OrchestratorSources.Source source(String name, SourceConsumer.Subscription subscription,
			IntSupplier maxRecords, LongSupplier heldBytes, long maxHeap, DoubleSupplier thresholdPercent,
			DoubleSupplier hysteresis, BooleanSupplier extraCondition, MemoryLedger memory) {
		MemoryGate gate = new MemoryGate(heldBytes, maxHeap, thresholdPercent, hysteresis);
		return new OrchestratorSources.Source(new SourceState(name, gate, extraCondition, memory), subscription,
				maxRecords);
	}

	@SuppressWarnings("unchecked")
	private static Consumer<String, byte[]> sourceConsumer(ConsumerFactory<?, ?> factory, String group,
			OrchestratorProperties.Kafka kafka, OrchestratorSources.Source source) {
		Properties overrides = SourceConsumerOverrides.of(kafka, source.state().name());
		// One group per source: a rebalance of one source never disturbs another.
		return (Consumer<String, byte[]>) factory.createConsumer(group + "-" + source.state().name(), null,
				"-" + source.state().name(), overrides);
	}

}
