package io.eventgateway.ingest.publish;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.PrepPublisherGrpc.PrepPublisherStub;
import io.eventgateway.proto.v1.PublishEventsRequest;
import io.eventgateway.proto.v1.PublishEventsResponse;
import io.eventgateway.proto.v1.PublishResult;

/**
 * Hands stamped events to the publisher over gRPC without waiting for it: each event is
 * serialized once and sent as {@code encoded_events}, which the publisher writes to Kafka
 * as they are. Events go in one call per {@link PublishLane lane}, so the answer for
 * urgent events never waits for a slower lane's linger, and in calls small enough for the
 * gRPC message limit.
 *
 * <p>
 * A publisher older than {@code encoded_events} ignores them and answers no results: such
 * a call is sent again once with the events decoded ({@code events}), so ingest can be
 * upgraded before the publisher without refusing requests (upgrading the publisher first
 * saves the second call).
 *
 * <p>
 * Thread-safe. {@link #publish} returns at once; its result completes on a gRPC client
 * thread when the last call answers or fails.
 */
public class PublisherClient {

	private static final Logger logger = LoggerFactory.getLogger(PublisherClient.class);

	private final PrepPublisherStub publisher;

	private final PublishCalls meters;

	/**
	 * Whether the last call failed: a failing publisher is logged when calls start and
	 * stop failing, not once per call, which in an outage would flood the log.
	 */
	private final AtomicBoolean failing = new AtomicBoolean();

	/** Whether an old publisher was warned about: once is enough to act on. */
	private final AtomicBoolean oldPublisherWarned = new AtomicBoolean();

	private final Duration timeout;

	private final int maxRequestBytes;

	private final InFlightEvents inFlight;

	/**
	 * @param publisher the publisher's asynchronous stub
	 * @param timeout how long one publish call may take
	 * @param maxRequestBytes the most serialized event bytes in one request
	 */
	public PublisherClient(PrepPublisherStub publisher, Duration timeout, int maxRequestBytes) {
		this(publisher, timeout, maxRequestBytes, PublishCalls.NONE);
	}

	/**
	 * @param publisher the publisher's asynchronous stub
	 * @param timeout how long one publish call may take
	 * @param maxRequestBytes the most serialized event bytes in one request
	 * @param meters hears how each call ended
	 */
	public PublisherClient(PrepPublisherStub publisher, Duration timeout, int maxRequestBytes, PublishCalls meters) {
		this(publisher, timeout, maxRequestBytes, meters, InFlightEvents.unbounded());
	}

	/**
	 * @param publisher the publisher's asynchronous stub
	 * @param timeout how long one publish call may take
	 * @param maxRequestBytes the most serialized event bytes in one request
	 * @param meters hears how each call ended
	 * @param inFlight the bound on events handed to the publisher and not answered yet,
	 * which callers take room in before they publish
	 */
	public PublisherClient(PrepPublisherStub publisher, Duration timeout, int maxRequestBytes, PublishCalls meters,
			InFlightEvents inFlight) {
		this.publisher = publisher;
		this.timeout = timeout;
		this.maxRequestBytes = maxRequestBytes;
		this.meters = meters;
		this.inFlight = inFlight;
	}

	/**
	 * The bound on events in flight to the publisher: a caller takes room for its events
	 * before it publishes them, and gives it back when their result completed.
	 */
	public InFlightEvents inFlight() {
		return this.inFlight;
	}

	/**
	 * Publishes the events. The result holds their results in order; it never completes
	 * exceptionally: a failed call rejects the events it carried, with the gRPC status as
	 * the error.
	 */
	public CompletableFuture<List<PublishResult>> publish(List<Event> events) {
		PublishResult[] results = new PublishResult[events.size()];
		Map<PublishLane, Call> open = new EnumMap<>(PublishLane.class);
		List<CompletableFuture<Void>> calls = new ArrayList<>();
		for (int slot = 0; slot < events.size(); slot++) {
			Event event = events.get(slot);
			ByteString encoded = event.toByteString();
			PublishLane lane = PublishLane.of(event);
			Call call = open.get(lane);
			if (call != null && call.bytes + encoded.size() > this.maxRequestBytes) {
				calls.add(send(call, results));
				call = null;
			}
			if (call == null) {
				call = new Call(lane);
				open.put(lane, call);
			}
			call.add(slot, event, encoded);
		}
		for (Call call : open.values()) {
			calls.add(send(call, results));
		}
		return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
			.thenApply((done) -> Arrays.asList(results));
	}

	private CompletableFuture<Void> send(Call call, PublishResult[] results) {
		CompletableFuture<PublishEventsResponse> answer = call(call.request.build())
			.thenCompose((response) -> ignoredEncoded(call, response) ? call(decoded(call))
					: CompletableFuture.completedFuture(response));
		// Each call fills its own slots: results written here are read only after every
		// call completed (allOf), which orders the writes before the read.
		return answer.handle((response, failure) -> {
			List<PublishResult> received = (failure != null) ? failed(call, failure) : checked(call, response);
			for (int i = 0; i < call.slots.size(); i++) {
				results[call.slots.get(i)] = received.get(i);
			}
			return null;
		});
	}

	private CompletableFuture<PublishEventsResponse> call(PublishEventsRequest request) {
		CompletableFuture<PublishEventsResponse> answer = new CompletableFuture<>();
		try {
			this.publisher.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
				.publishEvents(request, new Answer(answer));
		}
		catch (RuntimeException ex) {
			answer.completeExceptionally(ex);
		}
		return answer;
	}

	/**
	 * Whether the publisher ignored the call's {@code encoded_events}, as one older than
	 * them does: it answers no results, having written nothing.
	 */
	private boolean ignoredEncoded(Call call, PublishEventsResponse response) {
		if (response.getResultsCount() != 0 || call.events.isEmpty()) {
			return false;
		}
		if (this.oldPublisherWarned.compareAndSet(false, true)) {
			logger.warn("The publisher ignores encoded_events (it is older than this ingest): calls it answers "
					+ "with no results are sent again with the events decoded; upgrade the publisher to save "
					+ "the second call");
		}
		return true;
	}

	private static PublishEventsRequest decoded(Call call) {
		return PublishEventsRequest.newBuilder().addAllEvents(call.events).build();
	}

	private List<PublishResult> checked(Call call, PublishEventsResponse response) {
		int sent = call.events.size();
		if (response.getResultsCount() != sent) {
			return failed(call, "MISMATCH",
					"publisher answered " + response.getResultsCount() + " results for " + sent + " events");
		}
		this.meters.answered(call.lane);
		if (this.failing.compareAndSet(true, false)) {
			logger.info("Publisher calls are answered again");
		}
		return response.getResultsList();
	}

	private List<PublishResult> failed(Call call, Throwable failure) {
		Status status = Status.fromThrowable(failure);
		return failed(call, status.getCode().name(), "publisher unavailable: " + status.getCode()
				+ ((status.getDescription() != null) ? " " + status.getDescription() : ""));
	}

	private List<PublishResult> failed(Call call, String code, String error) {
		this.meters.failed(call.lane, code);
		if (this.failing.compareAndSet(false, true)) {
			logger.warn(
					"Publisher calls fail, their events are rejected (gateway.ingest.publish.calls counts them): {}",
					error);
		}
		return rejectAll(call, error);
	}

	private static List<PublishResult> rejectAll(Call call, String error) {
		return call.events.stream()
			.map((event) -> PublishResult.newBuilder()
				.setEventId(event.getEventId())
				.setOutcome(PublishResult.Outcome.REJECTED)
				.setError(error)
				.build())
			.toList();
	}

	/**
	 * One publish call being filled: its events' bytes and where their results go. The
	 * events themselves are kept (the caller holds them anyway) to send them decoded to
	 * an old publisher.
	 */
	private static final class Call {

		private final PublishLane lane;

		private final PublishEventsRequest.Builder request = PublishEventsRequest.newBuilder();

		private final List<Integer> slots = new ArrayList<>();

		private final List<Event> events = new ArrayList<>();

		private int bytes;

		Call(PublishLane lane) {
			this.lane = lane;
		}

		void add(int slot, Event event, ByteString encoded) {
			this.request.addEncodedEvents(encoded);
			this.slots.add(slot);
			this.events.add(event);
			this.bytes += encoded.size();
		}

	}

	/** Completes a future with the publisher's one answer or its failure. */
	private static final class Answer implements StreamObserver<PublishEventsResponse> {

		private final CompletableFuture<PublishEventsResponse> answer;

		Answer(CompletableFuture<PublishEventsResponse> answer) {
			this.answer = answer;
		}

		@Override
		public void onNext(PublishEventsResponse response) {
			this.answer.complete(response);
		}

		@Override
		public void onError(Throwable failure) {
			this.answer.completeExceptionally(failure);
		}

		@Override
		public void onCompleted() {
			// A unary call that completes without an answer broke its contract. Checked
			// first: every call completes, and the exception's stack trace is not free.
			if (!this.answer.isDone()) {
				this.answer.completeExceptionally(
						Status.INTERNAL.withDescription("no answer to PublishEvents").asRuntimeException());
			}
		}

	}

}
