package io.eventgateway.orchestrator.dlq;

import java.util.List;

/**
 * What one redrive run did with each letter it selected.
 *
 * @param run the run's id, in its ledger markers and its log line
 * @param dryRun whether it only reported, writing nothing
 * @param outcomes one per selected letter, the oldest letter first
 */
public record RedriveReport(String run, boolean dryRun, List<RedriveOutcome> outcomes) {

	/** How many letters ended with the status. */
	public long count(RedriveOutcome.Status status) {
		return this.outcomes.stream().filter((outcome) -> outcome.status() == status).count();
	}

	/** Whether no selected letter failed. */
	public boolean succeeded() {
		return count(RedriveOutcome.Status.FAILED) == 0;
	}

}
