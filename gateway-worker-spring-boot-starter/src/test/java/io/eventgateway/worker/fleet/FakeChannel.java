package io.eventgateway.worker.fleet;

import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;

/**
 * A channel that only reports a state a test sets and whether it was shut down: enough
 * for the fleet's bookkeeping, which never calls through it.
 */
final class FakeChannel extends ManagedChannel {

	private final String authority;

	private volatile ConnectivityState state = ConnectivityState.IDLE;

	private volatile boolean shutdown;

	private volatile int backoffResets;

	FakeChannel(String authority) {
		this.authority = authority;
	}

	void state(ConnectivityState state) {
		this.state = state;
	}

	int backoffResets() {
		return this.backoffResets;
	}

	@Override
	public ConnectivityState getState(boolean requestConnection) {
		return this.shutdown ? ConnectivityState.SHUTDOWN : this.state;
	}

	@Override
	public void resetConnectBackoff() {
		this.backoffResets++;
	}

	@Override
	public ManagedChannel shutdown() {
		this.shutdown = true;
		return this;
	}

	@Override
	public boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public boolean isTerminated() {
		return this.shutdown;
	}

	@Override
	public ManagedChannel shutdownNow() {
		return shutdown();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) {
		return this.shutdown;
	}

	@Override
	public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
		throw new UnsupportedOperationException("the fleet's bookkeeping makes no calls");
	}

	@Override
	public String authority() {
		return this.authority;
	}

}
