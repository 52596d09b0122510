package io.eventgateway.publisher.produce;

import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Where a replayed event is written: a topic and, when it waits on a delay topic, its
 * delay.
 *
 * @param topic the topic the replay is written to
 * @param delay the delay headers it carries, or {@code null} when it is not (or no
 * longer) delayed
 */
public record ReplayRoute(String topic, @Nullable Delay delay) {

	/** Adds the delay headers, if any. */
	public void addHeaders(Headers headers) {
		if (this.delay != null) {
			this.delay.addHeaders(headers);
		}
	}

}
