package io.eventgateway.publisher.produce;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * One Kafka producer, used directly: {@link Producer#send} takes no lock of its own per
 * record beyond the partition's batch, where a producer factory would add one on every
 * send. Made on the first send; after that a send reads one volatile field. Completions
 * are handed to an executor, so that whatever follows an acknowledgement (meters, spans,
 * the failure chain, the gRPC answer) never runs on, or holds up, the producer's network
 * thread.
 *
 * <p>
 * Thread-safe: called concurrently from gRPC threads, completion threads and the failure
 * chain's threads.
 */
public final class LaneProducer {

	private final Supplier<Producer<String, byte[]>> factory;

	private final Executor completions;

	/** Guards creating and closing the producer; never taken by a send once it exists. */
	private final Object lifecycle = new Object();

	private volatile @Nullable Producer<String, byte[]> producer;

	private volatile boolean closed;

	/**
	 * @param producer the producer; closed by {@link #close}
	 * @param completions where the futures {@link #send} returns are completed
	 */
	public LaneProducer(Producer<String, byte[]> producer, Executor completions) {
		this(() -> producer, completions);
	}

	/**
	 * A producer made on the first send, so that a cluster nobody writes to (the fallback
	 * cluster, while the primary takes everything) is never connected to.
	 * @param factory makes the producer; closed by {@link #close}
	 * @param completions where the futures {@link #send} returns are completed
	 */
	public LaneProducer(Supplier<Producer<String, byte[]>> factory, Executor completions) {
		this.factory = factory;
		this.completions = completions;
	}

	/**
	 * Sends a record. The future completes, on the completion executor, once Kafka
	 * acknowledged or refused the write; a record the producer refuses at once (closed,
	 * no metadata in time, too large) fails the future rather than throwing.
	 */
	public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
		CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
		try {
			producer().send(record, (metadata, failure) -> completeLater(result, metadata, failure));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(ex);
		}
		return result;
	}

	/**
	 * Sends what is buffered and closes the producer, waiting at most {@code timeout}.
	 */
	public void close(Duration timeout) {
		Producer<String, byte[]> current;
		synchronized (this.lifecycle) {
			this.closed = true;
			current = this.producer;
		}
		if (current != null) {
			current.close(timeout);
		}
	}

	private Producer<String, byte[]> producer() {
		Producer<String, byte[]> current = this.producer;
		if (current != null) {
			return current;
		}
		synchronized (this.lifecycle) {
			if (this.closed) {
				// A send that raced a rollout retarget: it fails into the failure chain.
				throw new IllegalStateException("the producer is closed");
			}
			if (this.producer == null) {
				this.producer = this.factory.get();
			}
			return this.producer;
		}
	}

	private void completeLater(CompletableFuture<RecordMetadata> result, RecordMetadata metadata, Exception failure) {
		Runnable completion = () -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
			else {
				result.complete(metadata);
			}
		};
		try {
			this.completions.execute(completion);
		}
		catch (RejectedExecutionException ex) {
			// Only while stopping, when the producers flush after the executor went: an
			// answer on the network thread beats one never given.
			completion.run();
		}
	}

}
