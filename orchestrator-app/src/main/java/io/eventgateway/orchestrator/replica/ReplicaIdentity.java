package io.eventgateway.orchestrator.replica;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.observe.PodName;

/**
 * Which replica this orchestrator is: its index among {@code numberOfReplicas}. Replica
 * {@code i} owns partition {@code i} of the responses topic, so two replicas with one
 * index would steal each other's answers; an index outside the range would answer nobody.
 * Resolved once at startup; everything that needs the index (the responses listener, flow
 * signals, explicit retry partitions, FetchTasks answers, meters, the actuator endpoint)
 * reads it from this one value.
 *
 * @param index this replica's index
 * @param numberOfReplicas how many replicas run
 */
public record ReplicaIdentity(int index, int numberOfReplicas) {

	private static final Log logger = LogFactory.getLog(ReplicaIdentity.class);

	/** A StatefulSet pod is named {@code <set>-<ordinal>}. */
	private static final Pattern ORDINAL = Pattern.compile(".*-(\\d{1,9})$");

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
	 * StatefulSet ordinal at the end of the pod name ({@code events-orchestrator-3} is
	 * 3), read from {@code POD_NAME}, else {@code HOSTNAME}. A lone replica reads only
	 * {@code POD_NAME} and is index 0 without it.
	 * @param configuredIndex {@code gateway.orchestrator.replica-index}, {@code null}
	 * when unset
	 * @param environment looks up an environment variable ({@code null} when absent)
	 * @param numberOfReplicas {@code gateway.orchestrator.number-of-replicas}
	 * @throws IllegalArgumentException naming the settings, when the index is outside the
	 * range or, with several replicas, cannot be found
	 */
	public static ReplicaIdentity resolve(@Nullable Integer configuredIndex,
			UnaryOperator<@Nullable String> environment, int numberOfReplicas) {
		if (configuredIndex != null) {
			return logged(new ReplicaIdentity(configuredIndex, numberOfReplicas), "gateway.orchestrator.replica-index");
		}
		// A lone replica trusts only the pod name the chart passes: any machine's host
		// name may end in digits (ci-runner-7), which says nothing about a StatefulSet.
		String podName = (numberOfReplicas == 1) ? blankToNull(environment.apply(PodName.POD_NAME))
				: podName(environment);
		Matcher matcher = (podName != null) ? ORDINAL.matcher(podName) : null;
		if (matcher != null && matcher.matches()) {
			return logged(new ReplicaIdentity(Integer.parseInt(matcher.group(1)), numberOfReplicas),
					"the StatefulSet ordinal of pod " + podName);
		}
		if (numberOfReplicas == 1) {
			return logged(new ReplicaIdentity(0, 1), "the only replica");
		}
		// Guessing 0 here would make two replicas read, and steal, the same answers.
		throw new IllegalArgumentException("Cannot tell which of the " + numberOfReplicas
				+ " orchestrator replicas this is: gateway.orchestrator.replica-index is not set and the pod name ("
				+ ((podName != null) ? "'" + podName + "'"
						: "neither " + PodName.POD_NAME + " nor " + PodName.HOSTNAME + " is set")
				+ ") does not end in a StatefulSet ordinal. Set gateway.orchestrator.replica-index, run the"
				+ " replicas as a StatefulSet, or set gateway.orchestrator.number-of-replicas to 1");
	}

	private static @Nullable String podName(UnaryOperator<@Nullable String> environment) {
		for (String variable : new String[] { PodName.POD_NAME, PodName.HOSTNAME }) {
			String value = blankToNull(environment.apply(variable));
			if (value != null) {
				return value;
			}
		}
		return null;
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private static ReplicaIdentity logged(ReplicaIdentity identity, String source) {
		logger.info("Orchestrator replica " + identity.index() + " of " + identity.numberOfReplicas() + " (from "
				+ source + "); it reads partition " + identity.index() + " of the responses topic");
		return identity;
	}

}
