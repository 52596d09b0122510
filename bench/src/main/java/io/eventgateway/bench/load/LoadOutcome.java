package io.eventgateway.bench.load;

import java.util.BitSet;

/**
 * How one run of the load generator went, once every event was answered.
 *
 * @param plan what it was told to do
 * @param offered events handed to the client (or producer)
 * @param accepted events accepted (or acknowledged)
 * @param refused events refused or failed
 * @param sendSeconds from the start until the last event was handed over
 * @param acceptedSequences the sequence numbers of the accepted events (event id
 * {@code runId-sequence})
 */
public record LoadOutcome(LoadPlan plan, long offered, long accepted, long refused, double sendSeconds,
		BitSet acceptedSequences) {

	/**
	 * Events handed over per second: the offered rate when the generator kept pace, less
	 * when it fell behind (it then finishes late).
	 */
	public double achievedRate() {
		double planned = this.plan.durationMillis() / 1000.0;
		return this.offered / Math.max(planned, this.sendSeconds);
	}

	/**
	 * The achieved rate as a share of the offered one; 1 when it was sent as fast as
	 * possible.
	 */
	public double achievedShare() {
		return (this.plan.rate() > 0) ? achievedRate() / this.plan.rate() : 1.0;
	}

}
