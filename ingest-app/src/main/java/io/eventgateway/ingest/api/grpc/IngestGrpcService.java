package io.eventgateway.ingest.api.grpc;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventgateway.ingest.auth.AccessDeniedException;
import io.eventgateway.ingest.auth.ApiKeys;
import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.event.BatchRejectedException;
import io.eventgateway.ingest.event.BatchVerdict;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.EventOutcome;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.pipeline.IngestPipeline;
import io.eventgateway.ingest.publish.PublisherBusyException;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.proto.v1.IngestServiceGrpc;

/**
 * The gRPC twin of {@code POST /v1/events}: OK with per-event results when any event was
 * accepted; INVALID_ARGUMENT naming the fields when the batch or all of its events are
 * invalid; UNAUTHENTICATED without a known API key (metadata {@code x-api-key}, when keys
 * are configured); PERMISSION_DENIED when an event names a company other than the key's;
 * UNAVAILABLE when valid events could not be stored, or when too many events are in
 * flight to the publisher (the request was refused whole, nothing of it stored: send it
 * again a little later).
 *
 * <p>
 * Asynchronous: the call's thread returns once the batch is handed to the pipeline, and
 * the answer is sent from the thread on which the publisher's last answer arrives, so no
 * gRPC thread waits on the publisher.
 */
public class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {

	private static final Logger logger = LoggerFactory.getLogger(IngestGrpcService.class);

	private static final int ERRORS_IN_STATUS = 10;

	private final IngestPipeline pipeline;

	private final BatchLimits limits;

	private final ApiKeys apiKeys;

	public IngestGrpcService(IngestPipeline pipeline, BatchLimits limits, ApiKeys apiKeys) {
		this.pipeline = pipeline;
		this.limits = limits;
		this.apiKeys = apiKeys;
	}

	@Override
	public void ingestEvents(IngestEventsRequest request, StreamObserver<IngestEventsResponse> responseObserver) {
		String requestId = request.getRequestId().isEmpty() ? null : request.getRequestId();
		List<Candidate> candidates;
		try {
			String company = this.apiKeys.companyFor(ApiKeyInterceptor.API_KEY.get());
			this.limits.check(request.getEventsCount(), requestId);
			candidates = ApiKeys.attribute(company, GrpcBatchReader.candidates(request));
		}
		catch (BatchRejectedException ex) {
			responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		catch (AccessDeniedException ex) {
			Status status = ex.authenticated() ? Status.PERMISSION_DENIED : Status.UNAUTHENTICATED;
			responseObserver.onError(status.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		String id = (requestId != null) ? requestId : UUID.randomUUID().toString();
		CompletableFuture<List<EventOutcome>> ingested;
		try {
			ingested = this.pipeline.ingest(id, candidates);
		}
		catch (PublisherBusyException ex) {
			responseObserver.onError(Status.UNAVAILABLE.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		ingested.whenComplete((outcomes, failure) -> {
			try {
				if (failure != null) {
					// The pipeline promises never to fail; should it, the caller still
					// hears.
					logger.error("Ingest of request {} failed", id, failure);
					responseObserver.onError(Status.INTERNAL.withDescription("ingest failed").asRuntimeException());
					return;
				}
				answer(id, outcomes, responseObserver);
			}
			catch (StatusRuntimeException ex) {
				// The caller went away (cancelled, or past its deadline) while its events
				// were published: there is no one left to answer.
				logger.debug("Could not answer request {}: {}", id, ex.getStatus());
			}
		});
	}

	private static void answer(String requestId, List<EventOutcome> outcomes,
			StreamObserver<IngestEventsResponse> responseObserver) {
		switch (BatchVerdict.of(outcomes)) {
			case ACCEPTED -> {
				responseObserver.onNext(toResponse(requestId, outcomes));
				responseObserver.onCompleted();
			}
			case INVALID -> responseObserver
				.onError(Status.INVALID_ARGUMENT.withDescription(describe(outcomes)).asRuntimeException());
			case UNAVAILABLE ->
				responseObserver.onError(Status.UNAVAILABLE.withDescription(describe(outcomes)).asRuntimeException());
		}
	}

	private static IngestEventsResponse toResponse(String requestId, List<EventOutcome> outcomes) {
		IngestEventsResponse.Builder response = IngestEventsResponse.newBuilder().setRequestId(requestId);
		for (EventOutcome outcome : outcomes) {
			IngestResult.Builder result = IngestResult.newBuilder()
				.setIndex(outcome.index())
				.setStatus(outcome.isAccepted() ? IngestResult.Status.ACCEPTED : IngestResult.Status.REJECTED);
			if (outcome.eventId() != null) {
				result.setEventId(outcome.eventId());
			}
			if (outcome.priority() != null) {
				result.setPriority(outcome.priority().toProto());
			}
			for (FieldError error : outcome.errors()) {
				result.addErrors(io.eventgateway.proto.v1.FieldError.newBuilder()
					.setField(error.field())
					.setMessage(error.message()));
			}
			response.addResults(result);
		}
		return response.build();
	}

	private static String describe(List<EventOutcome> outcomes) {
		List<FieldError> errors = outcomes.stream().flatMap((outcome) -> outcome.errors().stream()).toList();
		String shown = errors.stream()
			.limit(ERRORS_IN_STATUS)
			.map((error) -> error.field() + ": " + error.message())
			.collect(Collectors.joining("; "));
		return (errors.size() > ERRORS_IN_STATUS) ? shown + "; and " + (errors.size() - ERRORS_IN_STATUS) + " more"
				: shown;
	}

}
