package io.eventgateway.common.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.NonResponsiveConsumerEvent;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerContainerWatchTests {

	private final LoopMonitor monitor = LoopMonitor.standalone(Clock.systemUTC());

	private final ListenerContainerWatch watch = new ListenerContainerWatch(this.monitor, Duration.ofMinutes(1));

	private final MessageListenerContainer container = container("gateway-responses");

	@Test
	void aConsumerThatStopsAbnormallyIsDead() {
		this.watch.onApplicationEvent(new ConsumerStartedEvent(this, this.container));
		assertThat(state()).isEqualTo(LoopState.RUNNING);

		this.watch
			.onApplicationEvent(new ConsumerStoppedEvent(this, this.container, ConsumerStoppedEvent.Reason.ABNORMAL));

		assertThat(state()).isEqualTo(LoopState.DEAD);
		assertThat(this.monitor.unhealthy()).extracting(LoopHeartbeat::name)
			.containsExactly("listener-gateway-responses");
	}

	@Test
	void aConsumerStoppedNormallyIsHealthy() {
		this.watch.onApplicationEvent(new ConsumerStartedEvent(this, this.container));
		this.watch
			.onApplicationEvent(new ConsumerStoppedEvent(this, this.container, ConsumerStoppedEvent.Reason.NORMAL));

		assertThat(state()).isEqualTo(LoopState.STOPPED);
	}

	@Test
	void aNonResponsiveConsumerIsStalled() {
		this.watch.onApplicationEvent(new ConsumerStartedEvent(this, this.container));
		this.watch.onApplicationEvent(
				new NonResponsiveConsumerEvent(this, this.container, 120_000, "gateway-responses", List.of(), null));

		assertThat(state()).isEqualTo(LoopState.STALLED);
	}

	private LoopState state() {
		return this.monitor.loops().get(0).state();
	}

	private static MessageListenerContainer container(String id) {
		ContainerProperties properties = new ContainerProperties("topic");
		properties.setMessageListener((org.springframework.kafka.listener.MessageListener<String, String>) (record) -> {
		});
		KafkaMessageListenerContainer<String, String> container = new KafkaMessageListenerContainer<>(
				new DefaultKafkaConsumerFactory<>(java.util.Map.of()), properties);
		container.setBeanName(id);
		return container;
	}

}
