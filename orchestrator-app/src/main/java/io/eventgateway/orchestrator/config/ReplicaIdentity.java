package io.eventgateway.orchestrator.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which replica this orchestrator is: its index among {@code numberOfReplicas}. Replica
 * {@code i} owns partition {@code i} of the responses topic, so two replicas with one
 * index would steal each other's answers; an index outside the range would answer nobody.
 *
 * @param index this replica's index
 * @param numberOfReplicas how many replicas run
 */
public record ReplicaIdentity(int index, int numberOfReplicas) {

	private static final Pattern ORDINAL = Pattern.compile(".*-(\\d+)$");

	public ReplicaIdentity {
		if (numberOfReplicas < 1) {
			throw new IllegalArgumentException(
					"gateway.orchestrator.number-of-replicas must be at least 1, was " + numberOfReplicas);
		}
		if (index < 0 || index >= numberOfReplicas) {
			throw new IllegalArgumentException("Orchestrator replica index " + index + " is outside [0, "
					+ numberOfReplicas + "): set gateway.orchestrator.replica-index (or the StatefulSet ordinal) below"
					+ " gateway.orchestrator.number-of-replicas, and keep number-of-replicas equal to the"
					+ " StatefulSet's replicas");
		}
	}

	/**
	 * The identity from the configured index or, when none is configured, from the
	 * StatefulSet ordinal at the end of the host name ({@code events-orchestrator-3} is
	 * 3); 0 when neither.
	 */
	public static ReplicaIdentity resolve(Integer configuredIndex, String hostname, int numberOfReplicas) {
		if (configuredIndex != null) {
			return new ReplicaIdentity(configuredIndex, numberOfReplicas);
		}
		Matcher matcher = (hostname != null) ? ORDINAL.matcher(hostname) : null;
		int index = (matcher != null && matcher.matches()) ? Integer.parseInt(matcher.group(1)) : 0;
		return new ReplicaIdentity(index, numberOfReplicas);
	}

}
