package io.eventgateway.ingest.flow;

import io.eventgateway.proto.v1.FlowControlSignal;

/**
 * Who sent a flow-control signal: an orchestrator replica of one fleet. Every fleet has a
 * replica 0, so the replica alone does not tell two sources apart.
 *
 * @param fleet the fleet's name
 * @param replica the replica's index within its fleet
 */
public record SignalSource(String fleet, int replica) {

	/** The fleet of signals from orchestrators older than the fleet field. */
	public static final String DEFAULT_FLEET = "primary";

	/** The source of a signal. */
	public static SignalSource of(FlowControlSignal signal) {
		String fleet = signal.getFleet().isEmpty() ? DEFAULT_FLEET : signal.getFleet();
		return new SignalSource(fleet, signal.getReplica());
	}

	@Override
	public String toString() {
		return this.fleet + "/" + this.replica;
	}

}
