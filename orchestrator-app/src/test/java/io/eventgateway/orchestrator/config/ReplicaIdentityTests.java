package io.eventgateway.orchestrator.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReplicaIdentityTests {

	@Test
	void configuredIndexWins() {
		assertThat(ReplicaIdentity.resolve(2, "events-orchestrator-7", 8).index()).isEqualTo(2);
	}

	@Test
	void indexComesFromTheStatefulSetOrdinalInTheHostName() {
		assertThat(ReplicaIdentity.resolve(null, "events-orchestrator-7", 8).index()).isEqualTo(7);
	}

	@Test
	void hostNameWithoutOrdinalMeansIndexZero() {
		assertThat(ReplicaIdentity.resolve(null, "laptop", 1).index()).isZero();
		assertThat(ReplicaIdentity.resolve(null, null, 1).index()).isZero();
	}

	@Test
	void indexOutsideTheReplicaRangeIsRejectedWithTheSettingsToFix() {
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicaIdentity.resolve(2, null, 2))
			.withMessageContaining("replica index 2 is outside [0, 2)")
			.withMessageContaining("gateway.orchestrator.number-of-replicas");
		assertThatIllegalArgumentException().isThrownBy(() -> ReplicaIdentity.resolve(null, "orchestrator-5", 3));
	}

}
