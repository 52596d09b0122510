package io.eventgateway.common.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerConfig;
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
	void aConsumerThatHasNotPolledForLongerThanItsKafkaCallsCanTakeIsStalled() {
		this.watch.onApplicationEvent(new ConsumerStartedEvent(this, this.container));
		// Poll timeout 5 s, commit timeout 60 s and poll interval 5 min (the consumer's
		// defaults).
		this.watch.onApplicationEvent(nonResponsive(this.container, Duration.ofSeconds(366)));

		assertThat(state()).isEqualTo(LoopState.STALLED);
	}

	@Test
	void aConsumerWhoseCommitWaitsForAnUnreachableClusterStaysRunning() {
		this.watch.onApplicationEvent(new ConsumerStartedEvent(this, this.container));
		// Spring Kafka reports it after three poll timeouts, and again every monitor
		// interval
		// while its commit is blocked.
		for (int seconds : new int[] { 16, 46, 76, 106 }) {
			this.watch.onApplicationEvent(nonResponsive(this.container, Duration.ofSeconds(seconds)));
		}

		assertThat(state()).isEqualTo(LoopState.RUNNING);
		assertThat(this.monitor.unhealthy()).isEmpty();
	}

	@Test
	void theLimitFollowsTheContainersOwnPollAndCommitTimeouts() {
		MessageListenerContainer quick = container("gateway-flow-control");
		quick.getContainerProperties().setPollTimeout(1_000);
		quick.getContainerProperties().setSyncCommitTimeout(Duration.ofSeconds(10));
		// As a listener's own consumer properties carry it.
		quick.getContainerProperties()
			.getKafkaConsumerProperties()
			.setProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "20000");
		this.watch.onApplicationEvent(new ConsumerStartedEvent(this, quick));

		this.watch.onApplicationEvent(nonResponsive(quick, Duration.ofSeconds(30)));
		assertThat(state()).isEqualTo(LoopState.RUNNING);

		this.watch.onApplicationEvent(nonResponsive(quick, Duration.ofSeconds(32)));
		assertThat(state()).isEqualTo(LoopState.STALLED);
	}

	private NonResponsiveConsumerEvent nonResponsive(MessageListenerContainer container, Duration sinceLastPoll) {
		return new NonResponsiveConsumerEvent(this, container, sinceLastPoll.toMillis(), container.getListenerId(),
				List.of(), null);
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
