package io.eventgateway.orchestrator.lag;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LagProbePropertiesTests {

	@Test
	void aZeroOrNegativeIntervalIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LagProbeProperties(true, Duration.ZERO))
			.withMessageContaining("gateway.orchestrator.lag.interval");
		assertThatIllegalArgumentException().isThrownBy(() -> new LagProbeProperties(true, Duration.ofSeconds(-1)))
			.withMessageContaining("gateway.orchestrator.lag.interval");
	}

	@Test
	void aPositiveIntervalIsKept() {
		assertThat(new LagProbeProperties(true, Duration.ofSeconds(15)).interval()).hasSeconds(15);
	}

}
