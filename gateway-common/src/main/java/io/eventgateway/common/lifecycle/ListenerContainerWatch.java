package io.eventgateway.common.lifecycle;

import java.time.Duration;

import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ConsumerFailedToStartEvent;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.KafkaEvent;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.event.ListenerContainerNoLongerIdleEvent;
import org.springframework.kafka.event.NonResponsiveConsumerEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Reports the consumers of Spring Kafka listener containers (the orchestrator's responses
 * listener, ingest's flow-control listener, the failed-writes processor, the bus) to the
 * {@link LoopMonitor}, one loop per container: a consumer that stopped abnormally (or
 * failed to start) is dead; one the container finds non-responsive (no poll for several
 * poll timeouts; Spring Kafka repeats that event while it lasts) is stalled until the
 * events stop for one stall limit. The container's error handler logs and skips what a
 * listener throws, so a listener never ends its consumer.
 */
public class ListenerContainerWatch implements ApplicationListener<KafkaEvent> {

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
		else if (event instanceof NonResponsiveConsumerEvent) {
			heartbeat(event).unresponsive();
		}
	}

	private LoopHeartbeat heartbeat(KafkaEvent event) {
		MessageListenerContainer container = event.getContainer(MessageListenerContainer.class);
		String name = "listener-" + ((container != null) ? container.getListenerId() : event.getSource().toString());
		return this.monitor.registerWatched(name, () -> this.stallAfter);
	}

}
