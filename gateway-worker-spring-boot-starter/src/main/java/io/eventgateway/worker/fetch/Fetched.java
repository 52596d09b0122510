package io.eventgateway.worker.fetch;

import org.jspecify.annotations.Nullable;

import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.worker.fleet.OrchestratorFleet;

/**
 * A fetched batch, the replica it came from (held, so that its channel stays open for the
 * renewals and the lease's end) and the renewal of its lease, kept from the batch's
 * arrival until it is answered.
 *
 * <p>
 * Not thread-safe: owned by one fetch loop.
 */
final class Fetched implements AutoCloseable {

	private final OrchestratorFleet.Hold hold;

	private final FetchTasksResponse batch;

	private final LeaseRenewer.@Nullable Renewal renewal;

	/**
	 * @param hold the replica the batch came from
	 * @param batch the batch
	 * @param renewal the renewal of its lease; {@code null} for an empty batch
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

	/** Stops the renewals, then lets the replica go. */
	@Override
	public void close() {
		if (this.renewal != null) {
			this.renewal.close();
		}
		this.hold.close();
	}

}
