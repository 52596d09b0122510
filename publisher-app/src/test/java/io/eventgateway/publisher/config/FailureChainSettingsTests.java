package io.eventgateway.publisher.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.eventgateway.publisher.config.PublisherProperties.FailureChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FailureChainSettingsTests {

	@Test
	void noFallbackThreadIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FailureChain(0, 2, 10, Duration.ZERO))
			.withMessageContaining("gateway.publisher.failure-chain.fallback-threads")
			.withMessageContaining("was 0");
	}

	@Test
	void noSpoolThreadIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FailureChain(2, 0, 10, Duration.ZERO))
			.withMessageContaining("gateway.publisher.failure-chain.spool-threads");
	}

	@Test
	void anEmptyQueueIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FailureChain(2, 2, -1, Duration.ZERO))
			.withMessageContaining("gateway.publisher.failure-chain.queue-capacity")
			.withMessageContaining("was -1");
	}

	@Test
	void aNegativeFallbackWaitIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FailureChain(2, 2, 10, Duration.ofSeconds(-1)))
			.withMessageContaining("gateway.publisher.failure-chain.fallback-max-wait");
	}

	@Test
	void oneOfEachIsEnough() {
		assertThat(new FailureChain(1, 1, 1, Duration.ZERO).queueCapacity()).isEqualTo(1);
	}

}
