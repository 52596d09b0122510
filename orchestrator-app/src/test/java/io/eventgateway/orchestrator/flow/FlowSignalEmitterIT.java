package io.eventgateway.orchestrator.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.proto.v1.FlowControlSignal;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running orchestrator signals INCREASE while healthy and DECREASE once a buffered P10
 * event is closer to its deadline than the slack threshold (set above the P10 SLO here,
 * so any buffered P10 event is at risk).
 */
class FlowSignalEmitterIT {

	private static final String PREFIX = "flow-it";

	private ConfigurableApplicationContext context;

	@BeforeEach
	void start() {
		this.context = GatewayApplications.builder(OrchestratorApplication.class, OrchestratorApplication.ROLE)
			.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
					"--spring.grpc.server.port=0", "--spring.main.banner-mode=off", "--gateway.topics.prefix=" + PREFIX,
					"--gateway.topics.partitions=1", "--gateway.orchestrator.consumer-group=" + PREFIX,
					"--gateway.orchestrator.replica-index=0", "--gateway.orchestrator.flow-control.interval=200ms",
					"--gateway.orchestrator.flow-control.p10-slack-threshold=30m");
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void healthyThenAtRiskOnceP10IsBuffered() throws Exception {
		try (KafkaConsumer<String, byte[]> signals = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				KafkaTestBroker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, PREFIX + "-reader",
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
				new ByteArrayDeserializer())) {
			signals.subscribe(List.of(PREFIX + ".flow-control"));
			List<FlowControlSignal> received = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				poll(signals, received);
				return received.stream().anyMatch((signal) -> signal.getKind() == FlowControlSignal.Kind.INCREASE);
			});
			assertThat(received.get(0).getReason()).isEqualTo("healthy");
			assertThat(received.get(0).getReplica()).isZero();

			try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
					new StringSerializer(), new ByteArraySerializer())) {
				producer
					.send(new ProducerRecord<>(PREFIX + ".p10", "acme",
							TestEvents.event("late-1", "acme", Priority.P10).toByteArray()))
					.get();
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				poll(signals, received);
				return received.stream()
					.anyMatch((signal) -> signal.getKind() == FlowControlSignal.Kind.DECREASE
							&& signal.getReason().equals("p10-slack"));
			});
		}
	}

	private static void poll(KafkaConsumer<String, byte[]> consumer, List<FlowControlSignal> into) throws Exception {
		for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
			into.add(FlowControlSignal.parseFrom(record.value()));
		}
	}

}
