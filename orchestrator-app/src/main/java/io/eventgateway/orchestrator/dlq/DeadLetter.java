package io.eventgateway.orchestrator.dlq;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.eventgateway.common.event.Priority;

/**
 * A record of the dead-letter topic as an operator sees it: where it sits, the event it
 * holds and why it landed there.
 *
 * @param partition its partition of the dead-letter topic
 * @param offset its offset there
 * @param eventId the event's id; {@code null} when the record is not a gateway event (a
 * foreign record of a source topic)
 * @param eventType the event's type, or {@code null}
 * @param companyId the event's company, or {@code null}
 * @param priority the event's priority, or {@code null}
 * @param originTopic the topic it was first read from (header
 * {@code gateway-original-topic}), or {@code null}
 * @param originPartition the partition it was first read from, -1 when unknown
 * @param originOffset the offset it was first read at, -1 when unknown
 * @param attempts failed attempts before it was dead-lettered (header
 * {@code gateway-attempts}), -1 when unknown
 * @param error why the last attempt failed (header {@code gateway-error}), or
 * {@code null}
 * @param deadLetteredAt when it was written to the dead-letter topic
 */
public record DeadLetter(int partition, long offset, @Nullable String eventId, @Nullable String eventType,
		@Nullable String companyId, @Nullable Priority priority, @Nullable String originTopic, int originPartition,
		long originOffset, long attempts, @Nullable String error, Instant deadLetteredAt) {

	/** Its id for the tools: {@code partition:offset}, unique within the topic. */
	public String id() {
		return this.partition + ":" + this.offset;
	}

	/** Whether it holds a gateway event, and so can be redriven. */
	public boolean isEvent() {
		return this.eventId != null;
	}

}
