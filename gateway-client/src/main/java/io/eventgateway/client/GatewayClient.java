package io.eventgateway.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestServiceGrpc;

/**
 * Sends events to the gateway's ingest over gRPC ({@code IngestService.IngestEvents}) and
 * answers each with its own result.
 *
 * <p>
 * Events are batched (a batch closes at {@code maxEventsPerBatch} events,
 * {@code maxBytesPerBatch} bytes or {@code linger} after its first event, whichever comes
 * first), one call per batch. An event ingest could not store (a result without a named
 * field, or a call that ended {@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED}) is sent
 * again, with the same {@code event_id}, after an exponential back-off with full jitter,
 * until it is accepted, {@code maxAttempts} are used or its {@code deadline} passes. An
 * invalid event is not retried. A refused API key fails every event of the batch with
 * {@link GatewayAuthenticationException}. An event naming a company other than the key's
 * fails alone with {@link GatewayPermissionException}: the rest of its batch is sent
 * again at once, with the same ids. One call may take {@code attemptTimeout}, but no
 * longer than the latest deadline of its events (see {@link #callTimeoutNanos}).
 *
 * <p>
 * Thread-safe: share one client per target. {@link #send} blocks only while
 * {@code maxInFlightBytes} of earlier events are unanswered (at most {@code maxBlock}).
 * Results complete on the executor given to the builder (by default a pool of the
 * client's), never on the one timer thread that runs back-offs and linger times; an
 * event's room under {@code maxInFlightBytes} is given back before its result completes.
 */
public final class GatewayClient implements AutoCloseable {

	private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

	private final Settings settings;

	private final ManagedChannel channel;

	private final IngestServiceGrpc.IngestServiceStub stub;

	private final ScheduledExecutorService timer;

	/** Where user futures complete: never the timer thread, never under a lock. */
	private final Executor completions;

	/** The pool behind {@link #completions} when the builder gave none; else null. */
	private final ExecutorService ownCompletions;

	private final BatchBuffer<PendingEvent> buffer;

	private final InFlightBytes inFlight;

	/**
	 * Every event between {@code send} and its result. Removal is the one gate to a
	 * result: whoever removes an event completes it, so it completes once.
	 */
	private final Set<PendingEvent> outstanding = ConcurrentHashMap.newKeySet();

	private final DoubleSupplier jitter;

	/** Guards {@link #buffer}, {@link #closed} and {@link #stopped}. */
	private final Object lock = new Object();

	/** No new event is taken; set under {@link #lock}. */
	private boolean closed;

	/**
	 * The timer is stopping: an event still waiting is failed; set under {@link #lock}.
	 */
	private boolean stopped;

	private GatewayClient(Builder builder) {
		this.settings = builder.settings();
		this.jitter = builder.jitter;
		ManagedChannelBuilder<?> channelBuilder = Grpc.newChannelBuilderForAddress(builder.host, builder.port,
				builder.credentials());
		if (builder.executor != null) {
			channelBuilder.executor(builder.executor);
		}
		List<ClientInterceptor> interceptors = new ArrayList<>(builder.interceptors);
		if (builder.apiKey != null) {
			Metadata headers = new Metadata();
			headers.put(API_KEY, builder.apiKey);
			interceptors.add(MetadataUtils.newAttachHeadersInterceptor(headers));
		}
		this.channel = channelBuilder.intercept(interceptors).build();
		this.stub = IngestServiceGrpc.newStub(this.channel);
		this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("gateway-client-timer"));
		if (builder.executor != null) {
			this.ownCompletions = null;
			this.completions = builder.executor;
		}
		else {
			this.ownCompletions = Executors.newCachedThreadPool(daemonThreads("gateway-client-result"));
			this.completions = this.ownCompletions;
		}
		this.buffer = new BatchBuffer<>(this.settings.maxEventsPerBatch(), this.settings.maxBytesPerBatch(),
				this.settings.linger().toNanos(), (pending) -> pending.bytes);
		this.inFlight = new InFlightBytes(this.settings.maxInFlightBytes());
	}

	private static ThreadFactory daemonThreads(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

	/** A builder; {@link Builder#target(String)} is the only required setting. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Sends one event. The future completes with the event's final result (accepted,
	 * invalid, failed after retries, deadline exceeded), or exceptionally with a
	 * {@link GatewayException} (API key refused, another company, back-pressure) or an
	 * {@link IllegalStateException} once the client is closed.
	 *
	 * <p>
	 * Blocks while {@code maxInFlightBytes} of earlier events are unanswered, at most
	 * {@code maxBlock}; then the future fails with {@link GatewayBackpressureException}.
	 */
	public CompletableFuture<SendResult> send(Event event) {
		Objects.requireNonNull(event, "event");
		CompletableFuture<SendResult> result = new CompletableFuture<>();
		IngestEvent wire = toWire(event);
		long bytes = CodedOutputStream.computeMessageSize(IngestEventsRequest.EVENTS_FIELD_NUMBER, wire);
		long held;
		try {
			held = this.inFlight.acquire(bytes, this.settings.maxBlock().toNanos());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			result.completeExceptionally(ex);
			return result;
		}
		if (held == InFlightBytes.CLOSED) {
			result.completeExceptionally(closedException());
			return result;
		}
		if (held < 0) {
			result.completeExceptionally(new GatewayBackpressureException(
					"maxInFlightBytes (" + this.settings.maxInFlightBytes() + ") of events are waiting for an answer "
							+ "and none was answered within maxBlock (" + this.settings.maxBlock() + ")"));
			return result;
		}
		PendingEvent pending = new PendingEvent(wire, result, System.nanoTime() + this.settings.deadline().toNanos(),
				bytes, held);
		List<List<PendingEvent>> ready;
		boolean opened;
		synchronized (this.lock) {
			// Checked under the lock close() takes to set it: an event is either refused
			// here or in the books close() sweeps, never lost between the two.
			if (this.closed) {
				this.inFlight.release(held);
				result.completeExceptionally(closedException());
				return result;
			}
			this.outstanding.add(pending);
			boolean wasEmpty = this.buffer.isEmpty();
			ready = this.buffer.add(pending, System.nanoTime());
			opened = wasEmpty && !this.buffer.isEmpty();
		}
		dispatch(ready, opened);
		return result;
	}

	private static IllegalStateException closedException() {
		return new IllegalStateException("the gateway client is closed");
	}

	/**
	 * Sends every event; the future completes with their results in the same order, or
	 * exceptionally as soon as one of them does (see {@link #send(Event)}).
	 */
	public CompletableFuture<List<SendResult>> sendAll(List<Event> events) {
		List<CompletableFuture<SendResult>> results = new ArrayList<>(events.size());
		for (Event event : events) {
			results.add(send(event));
		}
		return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
			.thenApply((done) -> results.stream().map(CompletableFuture::join).toList());
	}

	/**
	 * Sends what is batched, waits at most {@code closeTimeout} for every event to get
	 * its result (retries included), fails those still waiting, and closes the
	 * connection. Further sends fail at once, and so do sends blocked for room under
	 * {@code maxInFlightBytes}. Every future handed out is completed, or its completion
	 * handed to the executor given to the builder, before this returns.
	 */
	@Override
	public void close() {
		List<PendingEvent> rest;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			rest = this.buffer.drain();
		}
		this.inFlight.close();
		if (!rest.isEmpty()) {
			call(rest);
		}
		try {
			CompletableFuture
				.allOf(this.outstanding.stream().map((pending) -> pending.result).toArray(CompletableFuture[]::new))
				.get(this.settings.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (TimeoutException | ExecutionException ex) {
			// Results are per event; those still waiting are failed below.
		}
		synchronized (this.lock) {
			this.stopped = true;
			this.buffer.drain();
		}
		this.timer.shutdownNow();
		// Nothing joins the books once closed is set, and the timer runs no more: what is
		// left (batched, waiting for a retry, or in a call) is failed here, once.
		for (PendingEvent pending : List.copyOf(this.outstanding)) {
			complete(pending, SendResult.Outcome.FAILED, null, null,
					"the client closed before the gateway answered (closeTimeout " + this.settings.closeTimeout()
							+ ")");
		}
		this.channel.shutdown();
		try {
			if (!this.channel.awaitTermination(5, TimeUnit.SECONDS)) {
				this.channel.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.channel.shutdownNow();
			Thread.currentThread().interrupt();
		}
		if (this.ownCompletions != null) {
			// Lets the completions already handed over run, so that every future is done
			// when close returns.
			this.ownCompletions.shutdown();
			try {
				this.ownCompletions.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** The bytes held under {@code maxInFlightBytes}: tests check nothing leaks. */
	long inFlightBytes() {
		return this.inFlight.used();
	}

	/** The events without a result yet: tests check nothing leaks. */
	int outstandingEvents() {
		return this.outstanding.size();
	}

	private static IngestEvent toWire(Event event) {
		// The id is fixed here, before the first attempt, so that every retry carries it
		// and a consumer can recognise a duplicate.
		String id = (event.eventId() != null && !event.eventId().isEmpty()) ? event.eventId()
				: UUID.randomUUID().toString();
		IngestEvent.Builder wire = IngestEvent.newBuilder().setEventId(id);
		if (event.companyId() != null) {
			wire.setCompanyId(event.companyId());
		}
		if (event.eventType() != null) {
			wire.setEventType(event.eventType());
		}
		if (event.source() != null) {
			wire.setSource(event.source());
		}
		if (event.payload() != null) {
			wire.setPayload(ByteString.copyFrom(event.payload()));
		}
		if (event.notBefore() != null) {
			Instant notBefore = event.notBefore();
			wire.setNotBefore(
					Timestamp.newBuilder().setSeconds(notBefore.getEpochSecond()).setNanos(notBefore.getNano()));
		}
		return wire.build();
	}

	/** Puts an event waiting for a retry back in a batch. */
	private void requeue(PendingEvent pending) {
		List<List<PendingEvent>> ready;
		boolean opened;
		synchronized (this.lock) {
			if (this.stopped) {
				ready = null;
				opened = false;
			}
			else {
				boolean wasEmpty = this.buffer.isEmpty();
				ready = this.buffer.add(pending, System.nanoTime());
				opened = wasEmpty && !this.buffer.isEmpty();
			}
		}
		if (ready == null) {
			complete(pending, SendResult.Outcome.FAILED, null, null,
					"the client closed while the event waited for a retry");
			return;
		}
		dispatch(ready, opened);
	}

	private void dispatch(List<List<PendingEvent>> ready, boolean opened) {
		if (opened) {
			scheduleLingerCheck(this.settings.linger().toNanos());
		}
		for (List<PendingEvent> batch : ready) {
			call(batch);
		}
	}

	private void scheduleLingerCheck(long delayNanos) {
		try {
			this.timer.schedule(this::flushIfDue, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Stopped: close() fails every event still batched.
		}
	}

	private void flushIfDue() {
		List<PendingEvent> batch;
		long dueAt;
		long now = System.nanoTime();
		synchronized (this.lock) {
			batch = this.buffer.drainIfDue(now);
			dueAt = this.buffer.dueAtNanos();
		}
		if (!batch.isEmpty()) {
			call(batch);
		}
		else if (dueAt >= 0) {
			// A younger batch opened after the one this check was for was sent.
			scheduleLingerCheck(Math.max(0, dueAt - now));
		}
	}

	private void call(List<PendingEvent> batch) {
		long now = System.nanoTime();
		List<PendingEvent> live = new ArrayList<>(batch.size());
		for (PendingEvent pending : batch) {
			if (now - pending.deadlineNanos >= 0) {
				// A retry may come due just before the deadline and reach this send just
				// after it: the caller still learns why the earlier attempts failed.
				expire(pending,
						(pending.lastAnswer == null) ? "before it could be sent"
								: "before it could be sent again, after " + pending.attempts
										+ " attempts; last answer: " + pending.lastAnswer);
			}
			else {
				live.add(pending);
			}
		}
		if (live.isEmpty()) {
			return;
		}
		IngestEventsRequest.Builder request = IngestEventsRequest.newBuilder();
		for (PendingEvent pending : live) {
			pending.attempts++;
			request.addEvents(pending.event);
		}
		try {
			this.stub
				.withDeadlineAfter(callTimeoutNanos(live, now, this.settings.attemptTimeout().toNanos()),
						TimeUnit.NANOSECONDS)
				.ingestEvents(request.build(), new Answer(live));
		}
		catch (RuntimeException ex) {
			settle(live, AnswerReader.ofStatus(Status.fromThrowable(ex), live.size()));
		}
	}

	/**
	 * How long a call may take: the attempt timeout, but no longer than the latest
	 * deadline of its events. Not the earliest: one retried event with little time left
	 * must not time out the fresh events beside it (they would all lose an attempt, and
	 * those ingest stored meanwhile would be stored again). An event whose own deadline
	 * passes during the call gets the call's answer; a retry then finds it expired.
	 */
	static long callTimeoutNanos(List<PendingEvent> batch, long nowNanos, long attemptTimeoutNanos) {
		long latest = 0;
		for (PendingEvent pending : batch) {
			latest = Math.max(latest, pending.deadlineNanos - nowNanos);
		}
		return Math.min(attemptTimeoutNanos, latest);
	}

	private void settle(List<PendingEvent> batch, List<Verdict> verdicts) {
		List<PendingEvent> resend = new ArrayList<>();
		for (int i = 0; i < batch.size(); i++) {
			PendingEvent pending = batch.get(i);
			Verdict verdict = verdicts.get(i);
			switch (verdict.kind()) {
				case ACCEPTED -> complete(pending, SendResult.Outcome.ACCEPTED, verdict.priority(), null, null);
				case INVALID -> complete(pending, SendResult.Outcome.INVALID, null, verdict.field(), verdict.message());
				case FAILED -> complete(pending, SendResult.Outcome.FAILED, null, null, verdict.message());
				case UNAUTHENTICATED -> fail(pending, new GatewayAuthenticationException(
						"ingest refused the API key (UNAUTHENTICATED): check the apiKey the client was built with; "
								+ verdict.message()));
				case PERMISSION_DENIED -> fail(pending,
						new GatewayPermissionException(
								"ingest refused the event (PERMISSION_DENIED): it names a company other than the "
										+ "API key's; " + verdict.message()));
				case RESEND -> {
					// Ingest refused the batch for another event before looking at this
					// one: that call does not count against it.
					pending.attempts--;
					resend.add(pending);
				}
				case RETRY -> maybeRetry(pending, verdict.message());
			}
		}
		if (!resend.isEmpty()) {
			call(resend);
		}
	}

	private void maybeRetry(PendingEvent pending, String message) {
		if (pending.attempts >= this.settings.maxAttempts()) {
			complete(pending, SendResult.Outcome.FAILED, null, null,
					"not stored after " + pending.attempts + " attempts (maxAttempts); last answer: " + message);
			return;
		}
		long delay = this.settings.backoff().delayNanos(pending.attempts, this.jitter.getAsDouble());
		long now = System.nanoTime();
		if (now + delay - pending.deadlineNanos >= 0) {
			expire(pending, "after " + pending.attempts + " attempts; last answer: " + message);
			return;
		}
		pending.lastAnswer = message;
		try {
			this.timer.schedule(() -> requeue(pending), delay, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			complete(pending, SendResult.Outcome.FAILED, null, null,
					"the client closed while the event waited for a retry; last answer: " + message);
		}
	}

	private void expire(PendingEvent pending, String when) {
		complete(pending, SendResult.Outcome.DEADLINE_EXCEEDED, null, null,
				"the deadline (" + this.settings.deadline() + ") passed " + when);
	}

	private void complete(PendingEvent pending, SendResult.Outcome outcome, String priority, String field,
			String message) {
		SendResult result = pending.resultOf(outcome, priority, field, message);
		finish(pending, (future) -> future.complete(result));
	}

	private void fail(PendingEvent pending, Throwable failure) {
		finish(pending, (future) -> future.completeExceptionally(failure));
	}

	/**
	 * Takes the event off the books and gives back its room first, so that code run on
	 * its result (a next send, close) sees it gone; then completes its future on the
	 * completion executor, away from the timer thread and gRPC's callbacks.
	 */
	private void finish(PendingEvent pending, Consumer<CompletableFuture<SendResult>> completion) {
		if (!this.outstanding.remove(pending)) {
			return;
		}
		this.inFlight.release(pending.heldBytes);
		try {
			this.completions.execute(() -> completion.accept(pending.result));
		}
		catch (RejectedExecutionException ex) {
			completion.accept(pending.result);
		}
	}

	/** The answer to one call, read into per-event verdicts. */
	private final class Answer implements StreamObserver<IngestEventsResponse> {

		private final List<PendingEvent> batch;

		private IngestEventsResponse response;

		Answer(List<PendingEvent> batch) {
			this.batch = batch;
		}

		@Override
		public void onNext(IngestEventsResponse value) {
			this.response = value;
		}

		@Override
		public void onError(Throwable failure) {
			settle(this.batch, AnswerReader.ofStatus(Status.fromThrowable(failure), this.batch.size()));
		}

		@Override
		public void onCompleted() {
			settle(this.batch,
					AnswerReader.ofResponse(
							(this.response != null) ? this.response : IngestEventsResponse.getDefaultInstance(),
							this.batch.size()));
		}

	}

	/**
	 * The client's settings, checked when the client is built.
	 *
	 * @param maxEventsPerBatch the most events in one call
	 * @param maxBytesPerBatch the most serialized event bytes in one call
	 * @param linger how long a batch waits for more events after its first
	 * @param maxAttempts the most times one event is sent
	 * @param backoff the wait between attempts
	 * @param deadline the time an event has, from {@code send} to its result, retries
	 * included
	 * @param attemptTimeout the longest one call may take
	 * @param maxInFlightBytes the most bytes of unanswered events
	 * @param maxBlock how long {@code send} waits for room under {@code maxInFlightBytes}
	 * @param closeTimeout how long {@code close} waits for outstanding results
	 */
	record Settings(int maxEventsPerBatch, long maxBytesPerBatch, Duration linger, int maxAttempts, Backoff backoff,
			Duration deadline, Duration attemptTimeout, long maxInFlightBytes, Duration maxBlock,
			Duration closeTimeout) {
	}

	/**
	 * Builds a {@link GatewayClient}. Every setting but the target has a default; a bad
	 * value fails {@link #build()} with an {@link IllegalArgumentException} naming the
	 * setting.
	 *
	 * <p>
	 * Not thread-safe.
	 */
	public static final class Builder {

		/**
		 * Ingest's default {@code gateway.ingest.limits.max-events}: a batch of more
		 * events is refused as a whole.
		 */
		static final int INGEST_MAX_EVENTS = 1000;

		/**
		 * Ingest's default {@code gateway.ingest.limits.max-request-bytes} (5MB), which
		 * is also its gRPC max inbound message size.
		 */
		static final long INGEST_MAX_REQUEST_BYTES = 5L * 1024 * 1024;

		private String host;

		private int port;

		private String apiKey;

		private boolean plaintext;

		private int maxEventsPerBatch = 500;

		private long maxBytesPerBatch = 1024 * 1024;

		private Duration linger = Duration.ofMillis(5);

		private int maxAttempts = 10;

		private Duration initialBackoff = Duration.ofMillis(100);

		private Duration maxBackoff = Duration.ofSeconds(5);

		private double backoffMultiplier = 2.0;

		private Duration deadline = Duration.ofMinutes(2);

		private Duration attemptTimeout = Duration.ofSeconds(75);

		private long maxInFlightBytes = 32L * 1024 * 1024;

		private Duration maxBlock = Duration.ofSeconds(10);

		private Duration closeTimeout = Duration.ofSeconds(30);

		private Executor executor;

		private final List<ClientInterceptor> interceptors = new ArrayList<>();

		private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();

		private Builder() {
		}

		/**
		 * Ingest's gRPC address, {@code host:port} (an IPv6 host in brackets). Required.
		 */
		public Builder target(String target) {
			Objects.requireNonNull(target, "target");
			int colon = target.lastIndexOf(':');
			if (colon <= 0 || colon == target.length() - 1) {
				throw new IllegalArgumentException("target must be host:port, was '" + target + "'");
			}
			String host = target.substring(0, colon);
			if (host.startsWith("[") && host.endsWith("]")) {
				host = host.substring(1, host.length() - 1);
			}
			int port;
			try {
				port = Integer.parseInt(target.substring(colon + 1));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("target must be host:port, was '" + target + "'");
			}
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("target's port must be 1 to 65535, was " + port);
			}
			this.host = host;
			this.port = port;
			return this;
		}

		/** The API key, sent as metadata {@code x-api-key}; none by default. */
		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/**
		 * Talks to ingest without TLS. For a loopback or otherwise trusted network only:
		 * the API key travels in the clear. TLS (with the JVM's trusted certificates) is
		 * the default.
		 */
		public Builder usePlaintext() {
			this.plaintext = true;
			return this;
		}

		/**
		 * Talks to ingest over TLS, with the JVM's trusted certificates (the default).
		 */
		public Builder useTransportSecurity() {
			this.plaintext = false;
			return this;
		}

		/**
		 * The most events in one call (500), at most ingest's default
		 * {@code gateway.ingest.limits.max-events} (1000).
		 */
		public Builder maxEventsPerBatch(int maxEventsPerBatch) {
			this.maxEventsPerBatch = maxEventsPerBatch;
			return this;
		}

		/**
		 * The most serialized event bytes in one call (1 MiB), at most ingest's default
		 * {@code gateway.ingest.limits.max-request-bytes} (5MB). A larger event travels
		 * alone.
		 */
		public Builder maxBytesPerBatch(long maxBytesPerBatch) {
			this.maxBytesPerBatch = maxBytesPerBatch;
			return this;
		}

		/**
		 * How long a batch waits for more events after its first (5 ms); zero sends at
		 * once.
		 */
		public Builder linger(Duration linger) {
			this.linger = linger;
			return this;
		}

		/** The most times one event is sent, the first included (10). */
		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		/** The cap of the wait before the first retry (100 ms). */
		public Builder initialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
			return this;
		}

		/** The cap of any wait between attempts (5 s). */
		public Builder maxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
			return this;
		}

		/** How much the cap of the wait grows per retry (2.0). */
		public Builder backoffMultiplier(double backoffMultiplier) {
			this.backoffMultiplier = backoffMultiplier;
			return this;
		}

		/**
		 * The time an event has from {@code send} to its result, retries included (2
		 * min); after it the result is {@link SendResult.Outcome#DEADLINE_EXCEEDED}.
		 */
		public Builder deadline(Duration deadline) {
			this.deadline = deadline;
			return this;
		}

		/**
		 * The longest one call may take (75 s: ingest may hold a call for its publisher
		 * timeout, 35 s, and resend it once to an older publisher; a delayed event is
		 * answered when stored, not when due).
		 */
		public Builder attemptTimeout(Duration attemptTimeout) {
			this.attemptTimeout = attemptTimeout;
			return this;
		}

		/**
		 * The most bytes of events sent and not yet answered for good (32 MiB); past it
		 * {@code send} blocks (see {@link #maxBlock(Duration)}).
		 */
		public Builder maxInFlightBytes(long maxInFlightBytes) {
			this.maxInFlightBytes = maxInFlightBytes;
			return this;
		}

		/**
		 * How long {@code send} waits for room under {@code maxInFlightBytes} (10 s)
		 * before its future fails with {@link GatewayBackpressureException}.
		 */
		public Builder maxBlock(Duration maxBlock) {
			this.maxBlock = maxBlock;
			return this;
		}

		/** How long {@code close} waits for outstanding results (30 s). */
		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		/**
		 * Where results complete, and so where actions chained on them run, and where
		 * gRPC callbacks run; by default results complete on a pool of the client's
		 * (stopped by {@code close}) and callbacks on gRPC's shared pool. Keep dependent
		 * work that blocks off it, or give a pool of its own.
		 */
		public Builder executor(Executor executor) {
			this.executor = executor;
			return this;
		}

		/** Interceptors for every call (tracing, metrics, more headers). */
		public Builder intercept(ClientInterceptor... interceptors) {
			this.interceptors.addAll(List.of(interceptors));
			return this;
		}

		/** The source of jitter, in {@code [0, 1]}: tests fix it to check the bounds. */
		Builder jitter(DoubleSupplier jitter) {
			this.jitter = jitter;
			return this;
		}

		/** A client with these settings, connecting lazily. */
		public GatewayClient build() {
			if (this.host == null) {
				throw new IllegalArgumentException("target is required: ingest's gRPC address, host:port");
			}
			return new GatewayClient(this);
		}

		Settings settings() {
			List<String> problems = new ArrayList<>();
			atLeast(problems, "maxEventsPerBatch", this.maxEventsPerBatch, 1);
			atMost(problems, "maxEventsPerBatch", this.maxEventsPerBatch, INGEST_MAX_EVENTS,
					"ingest's gateway.ingest.limits.max-events");
			atLeast(problems, "maxBytesPerBatch", this.maxBytesPerBatch, 1);
			atMost(problems, "maxBytesPerBatch", this.maxBytesPerBatch, INGEST_MAX_REQUEST_BYTES,
					"ingest's gateway.ingest.limits.max-request-bytes, 5MB");
			atLeast(problems, "maxAttempts", this.maxAttempts, 1);
			atLeast(problems, "maxInFlightBytes", this.maxInFlightBytes, 1);
			notNegative(problems, "linger", this.linger);
			positive(problems, "initialBackoff", this.initialBackoff);
			positive(problems, "maxBackoff", this.maxBackoff);
			positive(problems, "deadline", this.deadline);
			positive(problems, "attemptTimeout", this.attemptTimeout);
			notNegative(problems, "maxBlock", this.maxBlock);
			notNegative(problems, "closeTimeout", this.closeTimeout);
			if (!(this.backoffMultiplier >= 1.0) || Double.isInfinite(this.backoffMultiplier)) {
				problems.add("backoffMultiplier must be at least 1.0, was " + this.backoffMultiplier);
			}
			if (problems.isEmpty() && this.maxBackoff.compareTo(this.initialBackoff) < 0) {
				problems.add("maxBackoff (" + this.maxBackoff + ") must be at least initialBackoff ("
						+ this.initialBackoff + ")");
			}
			if (!problems.isEmpty()) {
				throw new IllegalArgumentException("bad gateway client settings: " + String.join("; ", problems));
			}
			return new Settings(this.maxEventsPerBatch, this.maxBytesPerBatch, this.linger, this.maxAttempts,
					new Backoff(this.initialBackoff, this.maxBackoff, this.backoffMultiplier), this.deadline,
					this.attemptTimeout, this.maxInFlightBytes, this.maxBlock, this.closeTimeout);
		}

		private ChannelCredentials credentials() {
			return this.plaintext ? InsecureChannelCredentials.create() : TlsChannelCredentials.create();
		}

		private static void atLeast(List<String> problems, String name, long value, long min) {
			if (value < min) {
				problems.add(name + " must be at least " + min + ", was " + value);
			}
		}

		private static void atMost(List<String> problems, String name, long value, long max, String whose) {
			if (value > max) {
				problems.add(name + " must be at most " + max + " (" + whose + " by default; a larger batch is "
						+ "refused whole), was " + value);
			}
		}

		private static void positive(List<String> problems, String name, Duration value) {
			if (value == null || value.isZero() || value.isNegative()) {
				problems.add(name + " must be positive, was " + value);
			}
		}

		private static void notNegative(List<String> problems, String name, Duration value) {
			if (value == null || value.isNegative()) {
				problems.add(name + " must not be negative, was " + value);
			}
		}

	}

}
