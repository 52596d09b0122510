package io.eventgateway.orchestrator.buffer;

import org.apache.kafka.common.TopicPartition;

import io.eventgateway.proto.v1.RecordPosition;

/**
 * Where a buffered event was read: identifies a task within the orchestrator and a lease.
 *
 * @param topic the topic
 * @param partition the partition number
 * @param offset the record offset
 */
public record Position(String topic, int partition, long offset) {

	/** The partition this position is in. */
	public TopicPartition topicPartition() {
		return new TopicPartition(this.topic, this.partition);
	}

	/** The wire form. */
	public RecordPosition toProto() {
		return RecordPosition.newBuilder()
			.setTopic(this.topic)
			.setPartition(this.partition)
			.setOffset(this.offset)
			.build();
	}

	/** The position of a wire form. */
	public static Position fromProto(RecordPosition position) {
		return new Position(position.getTopic(), position.getPartition(), position.getOffset());
	}

}
