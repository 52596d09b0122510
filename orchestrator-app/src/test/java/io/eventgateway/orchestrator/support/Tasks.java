package io.eventgateway.orchestrator.support;

import java.time.Instant;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.orchestrator.buffer.BufferedTask;
import io.eventgateway.orchestrator.buffer.Position;
import io.eventgateway.proto.v1.Event;

/** Builds buffered tasks for tests. */
public final class Tasks {

	/** Ingest time of every test event. */
	public static final Instant INGESTED_AT = Instant.parse("2026-01-01T00:00:00Z");

	private Tasks() {
	}

	/**
	 * A task of the given priority read from partition 0 of its priority topic at the
	 * offset.
	 */
	public static BufferedTask task(Priority priority, long offset) {
		return task(priority, "events.p" + priority.level(), 0, offset);
	}

	/** A task of the given priority read from the given position. */
	public static BufferedTask task(Priority priority, String topic, int partition, long offset) {
		return task(priority, topic, partition, offset, INGESTED_AT);
	}

	/**
	 * A task of the given priority, ingested at the given time, read from partition 0 of
	 * its priority topic at the offset.
	 */
	public static BufferedTask ingestedAt(Priority priority, long offset, Instant ingestedAt) {
		return task(priority, "events.p" + priority.level(), 0, offset, ingestedAt);
	}

	private static BufferedTask task(Priority priority, String topic, int partition, long offset, Instant ingestedAt) {
		Event event = Event.newBuilder()
			.setEventId(topic + "-" + partition + "-" + offset)
			.setCompanyId("company")
			.setPriorityLevel(priority.toProto())
			.setIngestedAt(ProtoTime.timestamp(ingestedAt))
			.setSloDeadline(ProtoTime.timestamp(priority.deadlineFor(ingestedAt)))
			.build();
		return BufferedTask.of(event, new Position(topic, partition, offset));
	}

}
