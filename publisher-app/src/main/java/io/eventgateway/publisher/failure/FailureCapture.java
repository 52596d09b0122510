package io.eventgateway.publisher.failure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.trace.LogContext;
import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Delay;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.OrderingHeaders;

/**
 * The publisher's failure chain, for an event the primary (or rollout) cluster refused:
 * first the failed-writes topic on the fallback cluster, then the spool. Only when both
 * fail is the event rejected, and the caller told.
 *
 * <p>
 * Thread-safe. Fallback sends and spool writes (blocking network or file I/O) run on
 * executors of their own, never on a producer's network thread or the publisher's
 * completion threads, and apart from each other: a fallback send may block for the
 * producer's {@code max.block.ms} while the fallback's metadata is unknown, and spool
 * writes must not queue behind it. Both executors have bounded queues: an event the
 * fallback's queue cannot take goes straight to the spool, and one the spool's queue
 * cannot take either is answered as not stored, never dropped. Failed-writes records
 * carry the ordering headers of their event, like every event record the publisher
 * writes, and the failed write of a delay record its delay headers too, so that it is
 * replayed with the hold it was written with.
 */
public class FailureCapture {

	private static final Log logger = LogFactory.getLog(FailureCapture.class);

	private final ClusterProducers fallback;

	private final String failedWritesTopic;

	private final EventSpool spool;

	private final Executor fallbackSends;

	private final Executor spoolWrites;

	private final Duration fallbackMaxWait;

	private final AtomicLong toFallback = new AtomicLong();

	private final AtomicLong toSpool = new AtomicLong();

	private final AtomicLong lost = new AtomicLong();

	private final AtomicLong fallbackQueueFull = new AtomicLong();

	private final AtomicLong spoolQueueFull = new AtomicLong();

	private final AtomicLong fallbackWaitedTooLong = new AtomicLong();

	/**
	 * @param fallback the fallback cluster's producers, or {@code null} when there is no
	 * fallback cluster (failures then go straight to the spool)
	 * @param failedWritesTopic the failed-writes topic on the fallback cluster
	 * @param spool the spool
	 * @param fallbackSends where sends to the fallback cluster start, which may block; an
	 * executor that refuses a task while running counts as full
	 * @param spoolWrites where spool writes run, which may block; an executor that
	 * refuses a task while running counts as full
	 * @param fallbackMaxWait how long an event may wait for a fallback-send thread; one
	 * that waited longer goes to the spool instead, so that events queued behind stuck
	 * sends are not held for a {@code max.block.ms} each
	 */
	public FailureCapture(ClusterProducers fallback, String failedWritesTopic, EventSpool spool, Executor fallbackSends,
			Executor spoolWrites, Duration fallbackMaxWait) {
		this.fallback = fallback;
		this.failedWritesTopic = failedWritesTopic;
		this.spool = spool;
		this.fallbackSends = fallbackSends;
		this.spoolWrites = spoolWrites;
		this.fallbackMaxWait = fallbackMaxWait;
	}

	/**
	 * Stores an event its cluster refused; completes, never exceptionally, with where it
	 * went.
	 * @param event the event
	 * @param value the event as it was sent to its cluster, sent to the failed-writes
	 * topic as it is
	 * @param intendedTopic the topic it was meant for
	 * @param cause why the cluster refused it
	 */
	public CompletableFuture<Capture> capture(Event event, byte[] value, String intendedTopic, Throwable cause) {
		return capture(event, value, intendedTopic, null, cause);
	}

	/**
	 * Stores an event its cluster refused; completes, never exceptionally, with where it
	 * went.
	 * @param event the event
	 * @param value the event as it was sent to its cluster, sent to the failed-writes
	 * topic as it is
	 * @param intendedTopic the topic it was meant for (a delay topic for a delay record)
	 * @param delay the delay of a delay record, whose headers its failed write keeps;
	 * {@code null} for any other record
	 * @param cause why the cluster refused it
	 */
	public CompletableFuture<Capture> capture(Event event, byte[] value, String intendedTopic, @Nullable Delay delay,
			Throwable cause) {
		if (this.fallback == null) {
			return toSpool(event, intendedTopic, "no fallback cluster configured");
		}
		CompletableFuture<Capture> sent = new CompletableFuture<>();
		long queuedAt = System.nanoTime();
		boolean queued = offer(this.fallbackSends, () -> {
			if (System.nanoTime() - queuedAt > this.fallbackMaxWait.toNanos()) {
				this.fallbackWaitedTooLong.incrementAndGet();
				sent.completeExceptionally(new IllegalStateException("not tried, waited longer than "
						+ this.fallbackMaxWait.toMillis() + "ms for a fallback-send thread"));
				return;
			}
			toFallback(event, value, intendedTopic, delay, cause)
				.whenComplete((captured, failure) -> complete(sent, captured, failure));
		});
		if (!queued) {
			// Sends are stuck (typically the fallback's metadata is unknown): waiting in
			// line behind them would only delay the spool.
			this.fallbackQueueFull.incrementAndGet();
			return toSpool(event, intendedTopic, "not tried, the failure chain's fallback-send queue is full");
		}
		return sent.handle((captured, failure) -> {
			if (failure == null) {
				this.toFallback.incrementAndGet();
				return CompletableFuture.completedFuture(captured);
			}
			return toSpool(event, intendedTopic, String.valueOf(rootCause(failure).getMessage()));
		}).thenCompose((next) -> next);
	}

	/** Events written to the failed-writes topic since start. */
	public long fallbackCount() {
		return this.toFallback.get();
	}

	/** Events written to the spool since start. */
	public long spoolCount() {
		return this.toSpool.get();
	}

	/** Events no destination would take since start. */
	public long lostCount() {
		return this.lost.get();
	}

	/**
	 * Events sent straight to the spool since start because the fallback-send queue was
	 * full.
	 */
	public long fallbackQueueFullCount() {
		return this.fallbackQueueFull.get();
	}

	/**
	 * Events sent to the spool since start because they waited too long for a
	 * fallback-send thread.
	 */
	public long fallbackWaitedTooLongCount() {
		return this.fallbackWaitedTooLong.get();
	}

	/**
	 * Events answered as not stored since start because the spool-write queue was full
	 * (also counted as lost).
	 */
	public long spoolQueueFullCount() {
		return this.spoolQueueFull.get();
	}

	private CompletableFuture<Capture> toFallback(Event event, byte[] value, String intendedTopic,
			@Nullable Delay delay, Throwable cause) {
		try {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.failedWritesTopic, event.getCompanyId(),
					value);
			OrderingHeaders.add(record.headers(), event);
			if (delay != null) {
				delay.addHeaders(record.headers());
			}
			GatewayHeaders.putString(record.headers(), GatewayHeaders.INTENDED_TOPIC, intendedTopic);
			GatewayHeaders.putString(record.headers(), GatewayHeaders.ERROR, String.valueOf(cause.getMessage()));
			return this.fallback.forLane(Lane.of(event))
				.send(record)
				.thenApply((sent) -> new Capture(Destination.FAILED_WRITES, this.failedWritesTopic, null));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private CompletableFuture<Capture> toSpool(Event event, String intendedTopic, String fallbackFailure) {
		CompletableFuture<Capture> written = new CompletableFuture<>();
		boolean queued = offer(this.spoolWrites, () -> {
			try {
				written.complete(writeToSpool(event, intendedTopic, fallbackFailure));
			}
			catch (RuntimeException | Error ex) {
				written.complete(lost(event, intendedTopic, fallbackFailure, String.valueOf(ex.getMessage())));
				throw ex;
			}
		});
		if (!queued) {
			this.spoolQueueFull.incrementAndGet();
			written.complete(lost(event, intendedTopic, fallbackFailure,
					"not tried, the failure chain's spool-write queue is full"));
		}
		return written;
	}

	private Capture writeToSpool(Event event, String intendedTopic, String fallbackFailure) {
		try {
			String key = this.spool.write(event, intendedTopic);
			this.toSpool.incrementAndGet();
			return new Capture(Destination.SPOOL, key, null);
		}
		catch (Exception ex) {
			return lost(event, intendedTopic, fallbackFailure, String.valueOf(ex.getMessage()));
		}
	}

	private Capture lost(Event event, String intendedTopic, String fallbackFailure, String spoolFailure) {
		this.lost.incrementAndGet();
		try (LogContext context = LogContext.event(event.getEventId()).topic(intendedTopic)) {
			logger.error("Event " + event.getEventId() + " could not be stored anywhere (fallback: " + fallbackFailure
					+ "; spool: " + spoolFailure + ")");
		}
		return new Capture(Destination.DESTINATION_UNSPECIFIED, null,
				"no destination took the event: fallback " + fallbackFailure + "; spool " + spoolFailure);
	}

	/**
	 * Hands a task to an executor; false when it is full. One that stopped taking tasks
	 * runs it on the calling thread instead: producers flush at stop, possibly after the
	 * executors went, and an event they refuse then must still be captured.
	 */
	private static boolean offer(Executor executor, Runnable task) {
		try {
			executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			if (executor instanceof ExecutorService service && service.isShutdown()) {
				task.run();
				return true;
			}
			return false;
		}
	}

	private static void complete(CompletableFuture<Capture> future, Capture captured, Throwable failure) {
		if (failure != null) {
			future.completeExceptionally(failure);
		}
		else {
			future.complete(captured);
		}
	}

	private static Throwable rootCause(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * Where a refused event went.
	 *
	 * @param destination failed-writes, spool, or unspecified when it is lost
	 * @param location the topic or spool key
	 * @param error why no destination took it, when lost
	 */
	public record Capture(Destination destination, String location, String error) {

		/** Whether the event is stored somewhere. */
		public boolean isStored() {
			return this.destination != Destination.DESTINATION_UNSPECIFIED;
		}

	}

}
