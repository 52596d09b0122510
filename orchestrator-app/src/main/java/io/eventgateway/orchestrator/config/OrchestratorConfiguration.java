package io.eventgateway.orchestrator.config;

import java.time.Clock;
import java.util.Properties;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.orchestrator.ack.ResponseListener;
import io.eventgateway.orchestrator.api.EventsOrchestratorGrpcService;
import io.eventgateway.orchestrator.buffer.TaskBuffer;
import io.eventgateway.orchestrator.commit.OffsetTrackers;
import io.eventgateway.orchestrator.intake.SourceConsumer;
import io.eventgateway.orchestrator.lease.LeaseSweeper;
import io.eventgateway.orchestrator.lease.LeaseTable;
import io.eventgateway.orchestrator.task.TaskStateController;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

/** Wires the orchestrator's plain-Java core to Kafka and gRPC. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OrchestratorProperties.class)
class OrchestratorConfiguration {

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
	TaskStateController taskStateController(TaskBuffer buffer, LeaseTable leases, OffsetTrackers offsets,
			OrchestratorProperties properties) {
		return new TaskStateController(buffer, leases, offsets, properties.lease().timeout());
	}

	@Bean
	LeaseSweeper leaseSweeper(TaskStateController controller, OrchestratorProperties properties) {
		return new LeaseSweeper(controller, properties.lease().sweepInterval());
	}

	/**
	 * One consumer thread per priority topic, so that a paused or slow source never holds
	 * up another. They stop before the gRPC server and the response listener, so that the
	 * final commit still sees every answer that arrived.
	 */
	@Bean
	LoopThreads sourceConsumers(ConsumerFactory<?, ?> consumerFactory, TopicLayout topics,
			TaskStateController controller, OffsetTrackers offsets, OrchestratorProperties properties) {
		OrchestratorProperties.MaxRecords maxRecords = properties.kafka().maxRecords();
		return new LoopThreads(topics.priorityTopics(), (topic) -> {
			int max = switch (priorityOf(topics, topic)) {
				case P30 -> maxRecords.p30();
				case P20 -> maxRecords.p20();
				case P10 -> maxRecords.p10();
			};
			return new SourceConsumer(sourceConsumer(consumerFactory, properties.consumerGroup(), topic, max), topic,
					controller, offsets, properties.kafka().pollTimeout());
		}, SmartLifecycle.DEFAULT_PHASE - 1024);
	}

	@Bean
	ResponseListener responseListener(TaskStateController controller) {
		return new ResponseListener(controller);
	}

	@Bean
	EventsOrchestratorGrpcService eventsOrchestratorGrpcService(TaskStateController controller,
			OrchestratorProperties properties) {
		return new EventsOrchestratorGrpcService(controller, new EventsOrchestratorGrpcService.FetchLimits(
				properties.fetch().maxTasks(), properties.fetch().maxWait()), properties.replicaIndex());
	}

	@SuppressWarnings("unchecked")
	private static Consumer<String, byte[]> sourceConsumer(ConsumerFactory<?, ?> factory, String group, String topic,
			int maxRecords) {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxRecords));
		return (Consumer<String, byte[]>) factory.createConsumer(group, null, "-" + topic, overrides);
	}

	private static Priority priorityOf(TopicLayout topics, String topic) {
		for (Priority priority : Priority.values()) {
			if (topics.priority(priority).equals(topic)) {
				return priority;
			}
		}
		throw new IllegalArgumentException("not a priority topic: " + topic);
	}

}
