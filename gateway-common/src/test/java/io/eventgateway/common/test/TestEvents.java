package io.eventgateway.common.test;

import java.time.Instant;

import com.google.protobuf.ByteString;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;

/** Stamped events as ingest would produce them, for tests. */
public final class TestEvents {

	private TestEvents() {
	}

	/** An event of the given id, company and priority, ingested now. */
	public static Event event(String eventId, String companyId, Priority priority) {
		Instant now = Instant.now();
		return Event.newBuilder()
			.setEventId(eventId)
			.setCompanyId(companyId)
			.setSourceName("test")
			.setEventType("test.event")
			.setIngestedAt(ProtoTime.timestamp(now))
			.setSloDeadline(ProtoTime.timestamp(priority.deadlineFor(now)))
			.setPriorityLevel(priority.toProto())
			.setRawPayload(ByteString.copyFromUtf8("{\"id\":\"" + eventId + "\"}"))
			.build();
	}

}
