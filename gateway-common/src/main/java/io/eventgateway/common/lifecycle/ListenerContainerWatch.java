package io.eventgateway.common.lifecycle;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ConsumerFailedToStartEvent;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.KafkaEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.event.ListenerContainerNoLongerIdleEvent;
import org.springframework.kafka.event.NonResponsiveConsumerEvent;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Reports the consumers of Spring Kafka listener containers (the orchestrator's responses
 * listener, ingest's flow-control listener, the failed-writes processor, the bus) to the
 * {@link LoopMonitor}, one loop per container: a consumer that stopped abnormally (or
 * failed to start) is dead; one that has not polled for longer than its poll and a commit
 * may block plus the time Kafka itself allows between two polls, is stalled until Spring
 * Kafka's non-responsive reports (every monitor interval while it lasts) stop for one
 * stall limit. The container's error handler logs and skips what a listener throws, so a
 * listener never ends its consumer.
 * <p>
 * Spring Kafka calls a consumer non-responsive after a few poll timeouts (15 s by
 * default), but while the cluster is unreachable a consumer legitimately goes far longer
 * without a poll: its offset commit blocks for up to its sync commit timeout (the
 * consumer's {@code default.api.timeout.ms}, 60 s), and a listener's own sends for up to
 * the producer's {@code max.block.ms} each. That is an outage elsewhere, which the
 * {@code kafka} contributor reports and a restart would not cure, so liveness stays UP
 * through it. The listener's own work gets the consumer's {@code max.poll.interval.ms} (5
 * minutes by default): the time Kafka allows between two polls before it counts a group
 * member as failed.
 */
public class ListenerContainerWatch implements ApplicationListener<KafkaEvent> {

	/** The Kafka consumer's default {@code default.api.timeout.ms}. */
	private static final Duration DEFAULT_API_TIMEOUT = Duration.ofMinutes(1);

	/** The Kafka consumer's default {@code max.poll.interval.ms}. */
	private static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);

	private final LoopMonitor monitor;

	private final Duration stallAfter;

	/**
	 * @param monitor where the consumers are reported
	 * @param stallAfter how long a non-responsive report keeps the consumer stalled
	 */
	public ListenerContainerWatch(LoopMonitor monitor, Duration stallAfter) {
		this.monitor = monitor;
		this.stallAfter = stallAfter;
	}

	@Override
	public void onApplicationEvent(KafkaEvent event) {
		if (event instanceof ConsumerStartedEvent) {
			heartbeat(event).started();
		}
		else if (event instanceof ConsumerStoppedEvent stopped) {
			LoopHeartbeat heartbeat = heartbeat(event);
			if (stopped.getReason() == ConsumerStoppedEvent.Reason.NORMAL) {
				heartbeat.stopRequested();
			}
			heartbeat.ended(null);
		}
		else if (event instanceof ConsumerFailedToStartEvent) {
			heartbeat(event).ended(null);
		}
		else if (event instanceof ListenerContainerIdleEvent || event instanceof ListenerContainerNoLongerIdleEvent) {
			// The consumer polls; idle is not stuck.
			heartbeat(event).progressed();
		}
		else if (event instanceof NonResponsiveConsumerEvent late
				&& Duration.ofMillis(late.getTimeSinceLastPoll()).compareTo(stuckAfter(event)) > 0) {
			heartbeat(event).unresponsive();
		}
	}

	/**
	 * How long a consumer may go without polling before it is stuck: one poll, one commit
	 * that runs into its timeout, and the poll interval Kafka allows for the listener's
	 * own work.
	 */
	private Duration stuckAfter(KafkaEvent event) {
		MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
		ContainerProperties properties = (container != null) ? container.getContainerProperties() : null;
		Duration poll = Duration
			.ofMillis((properties != null) ? properties.getPollTimeout() : ContainerProperties.DEFAULT_POLL_TIMEOUT);
		// The container fills the sync commit timeout in from the consumer when it
		// starts.
		Duration commit = (properties != null && properties.getSyncCommitTimeout() != null)
				? properties.getSyncCommitTimeout() : DEFAULT_API_TIMEOUT;
		return poll.plus(commit).plus(maxPollInterval(properties));
	}

	/**
	 * The container's own {@code max.poll.interval.ms} when its listener sets one (the
	 * consumer factory's is not visible from here), else Kafka's default.
	 */
	private static Duration maxPollInterval(ContainerProperties properties) {
		Object value = (properties != null)
				? properties.getKafkaConsumerProperties().get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG) : null;
		if (value instanceof Number number) {
			return Duration.ofMillis(number.longValue());
		}
		if (value instanceof String text && !text.isBlank()) {
			return Duration.ofMillis(Long.parseLong(text.trim()));
		}
		return DEFAULT_MAX_POLL_INTERVAL;
	}

	private LoopHeartbeat heartbeat(KafkaEvent event) {
		MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
		String name = "listener-" + ((container != null) ? container.getListenerId() : event.getSource().toString());
		return this.monitor.registerWatched(name, () -> this.stallAfter);
	}

}
