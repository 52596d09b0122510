package io.eventgateway.publisher.failure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.trace.LogContext;
import io.eventgateway.proto.v1.Destination;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.OrderingHeaders;

/**
 * The publisher's failure chain, for an event the primary (or rollout) cluster refused:
 * first the failed-writes topic on the fallback cluster, then the spool. Only when both
 * fail is the event rejected, and the caller told.
 *
 * <p>
 * Thread-safe. Fallback sends and spool writes (blocking network or file I/O) run on the
 * given executor, never on a producer's network thread or the publisher's completion
 * threads. Failed-writes records carry the ordering headers of their event, like every
 * event record the publisher writes.
 */
public class FailureCapture {

	private static final Log logger = LogFactory.getLog(FailureCapture.class);

	private final ClusterProducers fallback;

	private final String failedWritesTopic;

	private final EventSpool spool;

	private final Executor executor;

	private final AtomicLong toFallback = new AtomicLong();

	private final AtomicLong toSpool = new AtomicLong();

	private final AtomicLong lost = new AtomicLong();

	/**
	 * @param fallback the fallback cluster's producers, or {@code null} when there is no
	 * fallback cluster (failures then go straight to the spool)
	 * @param failedWritesTopic the failed-writes topic on the fallback cluster
	 * @param spool the spool
	 * @param executor where the failure chain runs: sends to the fallback cluster and
	 * spool writes, both of which may block
	 */
	public FailureCapture(ClusterProducers fallback, String failedWritesTopic, EventSpool spool, Executor executor) {
		this.fallback = fallback;
		this.failedWritesTopic = failedWritesTopic;
		this.spool = spool;
		this.executor = inlineWhenStopped(executor);
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
		// The fallback's send can block (up to max.block.ms while the fallback's metadata
		// is unknown): on the failure chain's own threads it holds up neither the answers
		// of writes that succeed nor a producer.
		return CompletableFuture.supplyAsync(() -> toFallback(event, value, intendedTopic, cause), this.executor)
			.thenCompose((sent) -> sent)
			.handle((captured, failure) -> {
				if (failure == null) {
					this.toFallback.incrementAndGet();
					return CompletableFuture.completedFuture(captured);
				}
				return toSpool(event, intendedTopic, failure);
			})
			.thenCompose((next) -> next);
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

	private CompletableFuture<Capture> toFallback(Event event, byte[] value, String intendedTopic, Throwable cause) {
		if (this.fallback == null) {
			return CompletableFuture.failedFuture(new IllegalStateException("no fallback cluster configured"));
		}
		try {
			ProducerRecord<String, byte[]> record = new ProducerRecord<>(this.failedWritesTopic, event.getCompanyId(),
					value);
			OrderingHeaders.add(record.headers(), event);
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

	private CompletableFuture<Capture> toSpool(Event event, String intendedTopic, Throwable fallbackFailure) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				String key = this.spool.write(event, intendedTopic);
				this.toSpool.incrementAndGet();
				return new Capture(Destination.SPOOL, key, null);
			}
			catch (Exception ex) {
				this.lost.incrementAndGet();
				try (LogContext context = LogContext.event(event.getEventId()).topic(intendedTopic)) {
					logger.error("Event " + event.getEventId() + " could not be stored anywhere (fallback: "
							+ fallbackFailure.getMessage() + "; spool: " + ex.getMessage() + ")");
				}
				return new Capture(Destination.DESTINATION_UNSPECIFIED, null, "no destination took the event: fallback "
						+ fallbackFailure.getMessage() + "; spool " + ex.getMessage());
			}
		}, this.executor);
	}

	/**
	 * The executor, or the calling thread once it stopped taking tasks: producers flush
	 * at stop, possibly after the executor went, and an event they refuse then must still
	 * be captured.
	 */
	private static Executor inlineWhenStopped(Executor executor) {
		return (task) -> {
			try {
				executor.execute(task);
			}
			catch (RejectedExecutionException ex) {
				task.run();
			}
		};
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
