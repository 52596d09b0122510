package io.eventgateway.common.event;

import com.google.protobuf.InvalidProtocolBufferException;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.Task;

/** Reads the event of a leased task, in whichever of its two forms it travelled. */
public final class TaskEvents {

	private TaskEvents() {
	}

	/**
	 * The task's event: decoded from {@code serialized_event} when the orchestrator
	 * passed the record's bytes through, else {@code event}.
	 * @throws IllegalArgumentException when the serialized event does not decode
	 */
	public static Event event(Task task) {
		if (task.hasEvent() || task.getSerializedEvent().isEmpty()) {
			return task.getEvent();
		}
		try {
			return Event.parseFrom(task.getSerializedEvent());
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalArgumentException("task at " + task.getPosition().getTopic() + "/"
					+ task.getPosition().getPartition() + "@" + task.getPosition().getOffset()
					+ " carries an event that does not decode: " + ex.getMessage(), ex);
		}
	}

}
