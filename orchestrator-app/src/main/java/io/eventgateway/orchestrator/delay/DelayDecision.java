package io.eventgateway.orchestrator.delay;

import org.jspecify.annotations.Nullable;

/**
 * What happens to one record of a delay topic whose hold ended.
 *
 * @param outcome where it goes
 * @param topic the topic it is written to; {@code null} for a dead letter
 * @param notBefore for {@link DelayOutcome#NEXT_TIER}, the end of its hold in the next
 * tier (epoch milliseconds); 0 otherwise
 * @param problem for {@link DelayOutcome#DEAD_LETTER}, what is wrong with it;
 * {@code null} otherwise
 */
public record DelayDecision(DelayOutcome outcome, @Nullable String topic, long notBefore, @Nullable String problem) {

	/** The event is due: it goes to its destination. */
	static DelayDecision due(String destination) {
		return new DelayDecision(DelayOutcome.DUE, destination, 0, null);
	}

	/** The event is not due yet: it waits in another tier until {@code notBefore}. */
	static DelayDecision nextTier(String delayTopic, long notBefore) {
		return new DelayDecision(DelayOutcome.NEXT_TIER, delayTopic, notBefore, null);
	}

	/** The record is not a usable delay record. */
	static DelayDecision deadLetter(String problem) {
		return new DelayDecision(DelayOutcome.DEAD_LETTER, null, 0, problem);
	}

}
