package io.eventgateway.orchestrator.flow;

import java.time.Duration;
import java.time.Instant;

import io.eventgateway.proto.v1.FlowControlSignal;

/**
 * Decides the AIMD signal an orchestrator sends ingest: DECREASE while P10 is at risk,
 * INCREASE while it is healthy.
 */
public final class FlowSignalPolicy {

	private FlowSignalPolicy() {
	}

	/**
	 * The signal for the state now.
	 * @param now the time
	 * @param oldestP10Deadline the earliest deadline among buffered P10 events, or
	 * {@code null} when none is buffered
	 * @param p10Paused whether the P10 consumer is paused (its backlog is not even in
	 * memory)
	 * @param slackThreshold P10 is at risk when its oldest event has less time left
	 * @return the signal's kind and reason
	 */
	public static Decision decide(Instant now, Instant oldestP10Deadline, boolean p10Paused, Duration slackThreshold) {
		if (p10Paused) {
			return new Decision(FlowControlSignal.Kind.DECREASE, "p10-paused");
		}
		if (oldestP10Deadline != null && Duration.between(now, oldestP10Deadline).compareTo(slackThreshold) < 0) {
			return new Decision(FlowControlSignal.Kind.DECREASE, "p10-slack");
		}
		return new Decision(FlowControlSignal.Kind.INCREASE, "healthy");
	}

	/**
	 * A signal to send.
	 *
	 * @param kind DECREASE or INCREASE
	 * @param reason why, for ingest's logs
	 */
	public record Decision(FlowControlSignal.Kind kind, String reason) {
	}

}
