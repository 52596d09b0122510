package io.eventgateway.bench.load;

import java.util.BitSet;

import io.eventgateway.client.SendResult;

/**
 * How one run of the load generator went, once every event was answered.
 *
 * @param plan what it was told to do
 * @param offered events handed to the client (or producer)
 * @param accepted events accepted (or acknowledged)
 * @param refused events refused or failed
 * @param answered events the gateway answered for (accepted, or refused for their
 * content) or Kafka acknowledged: what it actually received
 * @param answerSeconds from the start until the last of those answers arrived
 * @param sendSeconds from the start until the last event was handed over
 * @param acceptedSequences the sequence numbers of the accepted events (event id
 * {@code runId-sequence})
 */
public record LoadOutcome(LoadPlan plan, long offered, long accepted, long refused, long answered, double answerSeconds,
		double sendSeconds, BitSet acceptedSequences) {

	/**
	 * Events the gateway received and answered per second, over the run's planned
	 * duration or until its last answer arrived when that was later: the offered rate
	 * when the generator kept pace and the gateway answered everything in time; less when
	 * the generator fell behind, requests failed or timed out, or answers queued up.
	 * Events merely handed to the client library do not count.
	 */
	public double achievedRate() {
		double planned = this.plan.durationMillis() / 1000.0;
		return this.answered / Math.max(planned, this.answerSeconds);
	}

	/**
	 * The achieved rate as a share of the offered one; 1 when it was sent as fast as
	 * possible.
	 */
	public double achievedShare() {
		return (this.plan.rate() > 0) ? achievedRate() / this.plan.rate() : 1.0;
	}

	/**
	 * Whether ingest answered for an event: accepted, or refused for its content. A
	 * request that failed or ran out of time may never have reached it, so it does not
	 * count towards the achieved rate.
	 */
	public static boolean receivedByIngest(SendResult result) {
		return result != null
				&& (result.outcome() == SendResult.Outcome.ACCEPTED || result.outcome() == SendResult.Outcome.INVALID);
	}

}
