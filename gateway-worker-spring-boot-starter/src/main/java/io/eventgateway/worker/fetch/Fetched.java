package io.eventgateway.worker.fetch;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.worker.fleet.OrchestratorFleet;

/**
 * A fetched batch, the replica it came from (held, so that its channel stays open for the
 * renewals and the lease's end) and the renewal of its lease, kept from the batch's
 * arrival until it is answered.
 *
 * <p>
 * A batch fetched ahead may be answered by the fetch loop, which takes it, or handed back
 * by another thread (its wait ran out, or the loop is stopping); whoever {@link #claim()
 * claims} it first answers it, the other leaves it alone.
 *
 * <p>
 * Thread-safe as far as claiming goes; once claimed, owned by the claimer.
 */
final class Fetched implements AutoCloseable {

	private final OrchestratorFleet.Hold hold;

	private final FetchTasksResponse batch;

	private final LeaseRenewer.@Nullable Renewal renewal;

	private final AtomicBoolean claimed = new AtomicBoolean();

	/** Hands the batch back when it has waited too long; {@code null} when none. */
	private volatile @Nullable Future<?> waitEnd;

	/**
	 * @param hold the replica the batch came from
	 * @param batch the batch
	 * @param renewal the renewal of its lease; {@code null} for an empty batch, or when
	 * renewals could not start
	 */
	Fetched(OrchestratorFleet.Hold hold, FetchTasksResponse batch, LeaseRenewer.@Nullable Renewal renewal) {
		this.hold = hold;
		this.batch = batch;
		this.renewal = renewal;
	}

	OrchestratorFleet.Hold hold() {
		return this.hold;
	}

	FetchTasksResponse batch() {
		return this.batch;
	}

	LeaseRenewer.@Nullable Renewal renewal() {
		return this.renewal;
	}

	/** Sets what hands the batch back once its wait is over, to cancel when claimed. */
	void waitEnd(@Nullable Future<?> waitEnd) {
		this.waitEnd = waitEnd;
		if (waitEnd != null && this.claimed.get()) {
			waitEnd.cancel(false);
		}
	}

	/**
	 * Takes the batch over, to answer it.
	 * @return whether it was free; {@code false} when another thread answers it
	 */
	boolean claim() {
		if (!this.claimed.compareAndSet(false, true)) {
			return false;
		}
		Future<?> pending = this.waitEnd;
		if (pending != null) {
			pending.cancel(false);
		}
		return true;
	}

	/** Stops the renewals, then lets the replica go. */
	@Override
	public void close() {
		if (this.renewal != null) {
			this.renewal.close();
		}
		this.hold.close();
	}

}
