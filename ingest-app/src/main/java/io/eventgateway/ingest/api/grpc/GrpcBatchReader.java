package io.eventgateway.ingest.api.grpc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.RawEvent;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;

/**
 * Turns the events of a gRPC {@code IngestEvents} request into candidates, one per event,
 * with a field error for anything a decoded message can still get wrong.
 */
final class GrpcBatchReader {

	private GrpcBatchReader() {
	}

	static List<Candidate> candidates(IngestEventsRequest request) {
		List<Candidate> candidates = new ArrayList<>(request.getEventsCount());
		for (int index = 0; index < request.getEventsCount(); index++) {
			IngestEvent event = request.getEvents(index);
			if (event.hasNotBefore() && !ProtoTime.isValid(event.getNotBefore())) {
				candidates.add(Candidate.invalid(index, List.of(FieldError.ofEvent(index, "not_before",
						"must be a valid timestamp: seconds from 0001-01-01 to 9999-12-31 UTC, nanos from 0 to 999999999"))));
				continue;
			}
			Instant notBefore = event.hasNotBefore() ? ProtoTime.instant(event.getNotBefore()) : null;
			candidates.add(Candidate.valid(index,
					new RawEvent(event.getEventId().isEmpty() ? null : event.getEventId(),
							event.getCompanyId().isEmpty() ? null : event.getCompanyId(), event.getEventType(),
							event.getSource(), event.getPayload().toByteArray(), notBefore)));
		}
		return candidates;
	}

}
