package io.eventgateway.ingest.api.http;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import io.eventgateway.ingest.auth.AccessDeniedException;
import io.eventgateway.ingest.auth.ApiKeys;
import io.eventgateway.ingest.config.IngestProperties;
import io.eventgateway.ingest.event.Candidate;
import io.eventgateway.ingest.event.FieldError;
import io.eventgateway.ingest.event.BatchRejectedException;
import io.eventgateway.ingest.event.BatchVerdict;
import io.eventgateway.ingest.event.EventOutcome;
import io.eventgateway.ingest.event.BatchLimits;
import io.eventgateway.ingest.event.EventRules;
import io.eventgateway.ingest.pipeline.IngestPipeline;
import io.eventgateway.ingest.publish.PublisherBusyException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /v1/events}: decodes the JSON batch and runs it through the ingest
 * pipeline.
 *
 * <p>
 * Little is read before the request is trusted: the API key is checked first, then the
 * content type (JSON, or none at all, read as JSON), then the declared length, all before
 * any body byte is read; the body is then parsed from its stream through the byte limit,
 * so a body over the limit, declared or chunked, is refused as soon as the limit is
 * passed and never held whole.
 *
 * <p>
 * 202 when any event was accepted (the body says which and why not for the others), 400
 * when the batch or every event in it is invalid, 401 without a known API key (when keys
 * are configured), 403 when an event names a company other than the key's, 413 when the
 * body is over the byte limit, 415 when the content type is not JSON, 503 when valid
 * events could not be stored, and 503 with {@code Retry-After} when too many events are
 * in flight to the publisher (the request was refused whole, nothing of it stored).
 *
 * <p>
 * No request thread waits for the publisher: the request goes asynchronous (servlet
 * async) once its batch is handed to the pipeline, and its answer is written when the
 * publisher answered for every event (after the batch's last delayed event was handed
 * off). An answer not ready within {@code gateway.ingest.http.response-timeout} is 503.
 */
@RestController
class IngestController {

	static final String REQUEST_ID_HEADER = "X-Request-Id";

	/**
	 * Seconds a client refused for too many events in flight should wait: a publish call
	 * is answered within its linger and a write, far less than that.
	 */
	static final String BUSY_RETRY_AFTER_SECONDS = "1";

	private final IngestPipeline pipeline;

	private final JsonBatchReader reader;

	private final long maxRequestBytes;

	private final ApiKeys apiKeys;

	private final long responseTimeoutMillis;

	IngestController(IngestPipeline pipeline, BatchLimits limits, IngestProperties properties, ApiKeys apiKeys) {
		this.pipeline = pipeline;
		this.apiKeys = apiKeys;
		this.reader = new JsonBatchReader(limits);
		this.maxRequestBytes = properties.limits().maxRequestBytes().toBytes();
		this.responseTimeoutMillis = properties.http().responseTimeout().toMillis();
	}

	@PostMapping("/v1/events")
	DeferredResult<ResponseEntity<?>> ingest(
			@RequestHeader(name = REQUEST_ID_HEADER, required = false) String headerRequestId,
			@RequestHeader(name = ApiKeys.HEADER, required = false) String apiKey, HttpServletRequest request)
			throws IOException {
		// Trust before reading: the key, the type and the declared length are checked on
		// the headers alone, before a single byte of the body is taken.
		String company = this.apiKeys.companyFor(apiKey);
		String contentType = request.getContentType();
		if (!JsonContentType.isJson(contentType)) {
			return answered(refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, headerRequestId, new BatchRejectedException(
					"Content-Type", "must be application/json (or application/*+json), was '" + contentType + "'")));
		}
		if (request.getContentLengthLong() > this.maxRequestBytes) {
			return answered(refusal(HttpStatus.CONTENT_TOO_LARGE, headerRequestId, tooLarge()));
		}
		JsonBatchReader.DecodedBatch batch = this.reader.read(request.getInputStream(), this.maxRequestBytes);
		String requestId = requestId(headerRequestId, batch.requestId());
		List<Candidate> candidates = ApiKeys.attribute(company, batch.candidates());
		DeferredResult<ResponseEntity<?>> answer = new DeferredResult<>(this.responseTimeoutMillis,
				() -> unanswered(requestId));
		// Completed on the thread the publisher's last answer arrives on; the servlet
		// container writes the response on one of its own.
		this.pipeline.ingest(requestId, candidates).whenComplete((outcomes, failure) -> {
			if (failure != null) {
				// The pipeline promises never to fail; should it, the handlers answer.
				answer.setErrorResult(failure);
				return;
			}
			answer.setResult(answered(requestId, outcomes));
		});
		return answer;
	}

	private static ResponseEntity<?> answered(String requestId, List<EventOutcome> outcomes) {
		HttpStatus status = switch (BatchVerdict.of(outcomes)) {
			case ACCEPTED -> HttpStatus.ACCEPTED;
			case INVALID -> HttpStatus.BAD_REQUEST;
			case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
		};
		return ResponseEntity.status(status)
			.header(REQUEST_ID_HEADER, requestId)
			.body(IngestResponse.of(requestId, outcomes));
	}

	private ResponseEntity<ProblemDetail> unanswered(String requestId) {
		// A client can resend the events it gave ids to without storing them twice, but
		// not those whose ids ingest generated: it never learnt them.
		return problem(HttpStatus.SERVICE_UNAVAILABLE, requestId,
				"no answer within " + this.responseTimeoutMillis
						+ " ms (gateway.ingest.http.response-timeout); some events may be stored: sending again events "
						+ "with an event_id stores each of them once, but an event sent without one is given a new id "
						+ "each time and may be stored twice",
				new FieldError("", "not answered in time"));
	}

	private static DeferredResult<ResponseEntity<?>> answered(ResponseEntity<?> response) {
		DeferredResult<ResponseEntity<?>> answer = new DeferredResult<>();
		answer.setResult(response);
		return answer;
	}

	@ExceptionHandler(BodyTooLargeException.class)
	ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException ex, HttpServletRequest request) {
		return refusal(HttpStatus.CONTENT_TOO_LARGE, request.getHeader(REQUEST_ID_HEADER), tooLarge());
	}

	@ExceptionHandler(PublisherBusyException.class)
	ResponseEntity<ProblemDetail> busy(PublisherBusyException ex, HttpServletRequest request) {
		ResponseEntity<ProblemDetail> problem = problem(HttpStatus.SERVICE_UNAVAILABLE,
				request.getHeader(REQUEST_ID_HEADER), ex.getMessage(),
				new FieldError("", "too many events in flight to the publisher"));
		return ResponseEntity.status(problem.getStatusCode())
			.headers(problem.getHeaders())
			.header(HttpHeaders.RETRY_AFTER, BUSY_RETRY_AFTER_SECONDS)
			.body(problem.getBody());
	}

	@ExceptionHandler(BatchRejectedException.class)
	ResponseEntity<ProblemDetail> rejected(BatchRejectedException ex, HttpServletRequest request) {
		return problem(HttpStatus.BAD_REQUEST, request.getHeader(REQUEST_ID_HEADER), ex.getMessage(), ex.error());
	}

	@ExceptionHandler(AccessDeniedException.class)
	ResponseEntity<ProblemDetail> denied(AccessDeniedException ex, HttpServletRequest request) {
		if (ex.authenticated()) {
			return problem(HttpStatus.FORBIDDEN, request.getHeader(REQUEST_ID_HEADER), ex.getMessage(), ex.error());
		}
		// The body was not read: the connection cannot serve another request.
		return closing(
				problem(HttpStatus.UNAUTHORIZED, request.getHeader(REQUEST_ID_HEADER), ex.getMessage(), ex.error()));
	}

	private BatchRejectedException tooLarge() {
		return new BatchRejectedException("", "request body is over the limit of " + this.maxRequestBytes + " bytes");
	}

	/**
	 * A refusal given before the body was read whole: the rest of it is not read, and the
	 * connection is closed rather than kept for another request.
	 */
	private static ResponseEntity<ProblemDetail> refusal(HttpStatus status, String requestId,
			BatchRejectedException ex) {
		return closing(problem(status, requestId, ex));
	}

	private static ResponseEntity<ProblemDetail> closing(ResponseEntity<ProblemDetail> response) {
		return ResponseEntity.status(response.getStatusCode())
			.headers(response.getHeaders())
			.header(HttpHeaders.CONNECTION, "close")
			.body(response.getBody());
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String requestId,
			BatchRejectedException ex) {
		return problem(status, requestId, ex.getMessage(), ex.error());
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String requestId, String detail,
			FieldError error) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setProperty("errors", List.of(error));
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
		if (requestId != null && EventRules.isValidId(requestId)) {
			problem.setProperty("request_id", requestId);
			response.header(REQUEST_ID_HEADER, requestId);
		}
		return response.body(problem);
	}

	private static String requestId(String fromHeader, String fromBody) {
		if (fromHeader != null && !fromHeader.isBlank()) {
			if (!EventRules.isValidId(fromHeader)) {
				throw new BatchRejectedException(REQUEST_ID_HEADER,
						"must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'");
			}
			return fromHeader;
		}
		return (fromBody != null) ? fromBody : UUID.randomUUID().toString();
	}

}
