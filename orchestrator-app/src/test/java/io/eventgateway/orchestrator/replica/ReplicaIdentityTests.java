package io.eventgateway.orchestrator.replica;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReplicaIdentityTests {

	private static final UnaryOperator<String> NO_VARIABLES = (name) -> null;

	@Test
	void configuredIndexWins() {
		assertThat(ReplicaIdentity.resolve(2, env("POD_NAME", "events-orchestrator-7"), 8).index()).isEqualTo(2);
	}

	@Test
	void indexComesFromTheStatefulSetOrdinalInThePodName() {
		assertThat(ReplicaIdentity.resolve(null, env("POD_NAME", "events-orchestrator-7"), 8).index()).isEqualTo(7);
	}

	@Test
	void podNameComesBeforeTheHostName() {
		UnaryOperator<String> both = (name) -> Map.of("POD_NAME", "events-orchestrator-2", "HOSTNAME", "node-5")
			.get(name);

		assertThat(ReplicaIdentity.resolve(null, both, 8).index()).isEqualTo(2);
	}

	@Test
	void hostNameServesWhenThereIsNoPodName() {
		assertThat(ReplicaIdentity.resolve(null, env("HOSTNAME", "events-orchestrator-3"), 4).index()).isEqualTo(3);
		assertThat(ReplicaIdentity.resolve(null, env("POD_NAME", " "), 1).index()).isZero();
	}

	@Test
	void aLoneReplicaWithoutOrdinalIsIndexZero() {
		assertThat(ReplicaIdentity.resolve(null, env("HOSTNAME", "laptop"), 1).index()).isZero();
		assertThat(ReplicaIdentity.resolve(null, NO_VARIABLES, 1).index()).isZero();
		// A host name that happens to end in digits is not a StatefulSet ordinal.
		assertThat(ReplicaIdentity.resolve(null, env("HOSTNAME", "ci-runner-7"), 1).index()).isZero();
	}

	@Test
	void severalReplicasWithoutIndexOrOrdinalRefuseToStartNamingBothSettings() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReplicaIdentity.resolve(null, env("HOSTNAME", "laptop"), 3))
			.withMessageContaining("'laptop'")
			.withMessageContaining("gateway.orchestrator.replica-index")
			.withMessageContaining("gateway.orchestrator.number-of-replicas");
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicaIdentity.resolve(null, NO_VARIABLES, 2))
			.withMessageContaining("neither POD_NAME nor HOSTNAME is set");
	}

	@Test
	void anOrdinalThatIsNotAtTheEndDoesNotCount() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReplicaIdentity.resolve(null, env("POD_NAME", "events-orchestrator-1-canary"), 2));
	}

	@Test
	void indexOutsideTheReplicaRangeIsRejectedWithTheSettingsToFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicaIdentity.resolve(2, NO_VARIABLES, 2))
			.withMessageContaining("replica index 2 is outside [0, 2)")
			.withMessageContaining("gateway.orchestrator.number-of-replicas");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReplicaIdentity.resolve(null, env("POD_NAME", "orchestrator-5"), 3))
			.withMessageContaining("replica index 5 is outside [0, 3)");
		// One replica but the pod of a bigger StatefulSet: it would steal replica 0's
		// answers.
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReplicaIdentity.resolve(null, env("POD_NAME", "orchestrator-1"), 1));
	}

	@Test
	void anOrdinalTooLongForAnIndexIsNoOrdinal() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReplicaIdentity.resolve(null, env("POD_NAME", "orchestrator-99999999999"), 2))
			.withMessageContaining("does not end in a StatefulSet ordinal");
	}

	private static UnaryOperator<String> env(String name, String value) {
		return (asked) -> asked.equals(name) ? value : null;
	}

}
