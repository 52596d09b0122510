package io.eventgateway.worker.fleet;

import java.net.InetSocketAddress;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc.EventsOrchestratorBlockingStub;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc.EventsOrchestratorStub;

/**
 * One orchestrator replica as the worker sees it: one resolved address and the one
 * channel to it. Everything about a lease goes back over the channel the lease came from,
 * so it reaches the replica that issued it.
 *
 * <p>
 * Thread-safe: the channel and stubs are; the bookkeeping fields (holds, retiring) are
 * guarded by the owning {@link OrchestratorFleet}.
 */
public final class OrchestratorReplica {

	private final InetSocketAddress address;

	private final String name;

	private final ManagedChannel channel;

	private final EventsOrchestratorBlockingStub blockingStub;

	private final EventsOrchestratorStub asyncStub;

	/** The replica index the orchestrator last reported on a batch; -1 before one. */
	private volatile int replicaIndex = -1;

	/** Fetches and leases in progress over this channel; guarded by the fleet. */
	int holds;

	/**
	 * No longer resolved: shut down once {@link #holds} reaches zero; guarded by the
	 * fleet.
	 */
	boolean retiring;

	OrchestratorReplica(InetSocketAddress address, ManagedChannel channel) {
		this.address = address;
		this.name = address.getAddress().getHostAddress() + ":" + address.getPort();
		this.channel = channel;
		this.blockingStub = EventsOrchestratorGrpc.newBlockingStub(channel);
		this.asyncStub = EventsOrchestratorGrpc.newStub(channel);
	}

	/** The resolved address and port, as {@code ip:port}. */
	public String address() {
		return this.name;
	}

	InetSocketAddress socketAddress() {
		return this.address;
	}

	/** The channel, for health checks. */
	public ManagedChannel channel() {
		return this.channel;
	}

	/** The stub FetchTasks calls go through. */
	public EventsOrchestratorBlockingStub blockingStub() {
		return this.blockingStub;
	}

	/** The stub calls about a lease of this replica (RenewLease) go through. */
	public EventsOrchestratorStub asyncStub() {
		return this.asyncStub;
	}

	/** The channel's state, without asking it to connect. */
	public ConnectivityState state() {
		return this.channel.getState(false);
	}

	/** Remembers the index the replica reported on an answer to FetchTasks. */
	public void reported(int replicaIndex) {
		this.replicaIndex = replicaIndex;
	}

	/** The index the replica last reported, or -1 before its first answer. */
	public int replicaIndex() {
		return this.replicaIndex;
	}

	/**
	 * The replica as a meter tag: its reported index (low cardinality, stable across pod
	 * restarts), or {@code unknown} before it answered once; never its address, which
	 * changes with every pod and would add series forever.
	 */
	public String tag() {
		int index = this.replicaIndex;
		return (index >= 0) ? Integer.toString(index) : "unknown";
	}

	@Override
	public String toString() {
		return this.name;
	}

}
