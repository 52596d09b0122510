package io.eventgateway.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GatewayClientSettingsTests {

	@Test
	void aTargetIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> GatewayClient.builder().build())
			.withMessageContaining("target is required");
	}

	@Test
	void aTargetWithoutAPortIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> GatewayClient.builder().target("localhost"))
			.withMessageContaining("target must be host:port");
		assertThatIllegalArgumentException().isThrownBy(() -> GatewayClient.builder().target("localhost:http"))
			.withMessageContaining("target must be host:port");
		assertThatIllegalArgumentException().isThrownBy(() -> GatewayClient.builder().target("localhost:70000"))
			.withMessageContaining("port must be 1 to 65535");
	}

	@Test
	void everyBadSettingIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GatewayClient.builder()
				.target("127.0.0.1:9080")
				.maxEventsPerBatch(0)
				.maxBytesPerBatch(0)
				.maxAttempts(0)
				.linger(Duration.ofMillis(-1))
				.deadline(Duration.ZERO)
				.backoffMultiplier(0.5)
				.build())
			.withMessageContaining("maxEventsPerBatch must be at least 1, was 0")
			.withMessageContaining("maxBytesPerBatch must be at least 1")
			.withMessageContaining("maxAttempts must be at least 1")
			.withMessageContaining("linger must not be negative")
			.withMessageContaining("deadline must be positive")
			.withMessageContaining("backoffMultiplier must be at least 1.0");
	}

	@Test
	void batchesLargerThanIngestTakesAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GatewayClient.builder()
				.target("127.0.0.1:9080")
				.maxEventsPerBatch(1001)
				.maxBytesPerBatch(6L * 1024 * 1024)
				.build())
			.withMessageContaining("maxEventsPerBatch must be at most 1000")
			.withMessageContaining("gateway.ingest.limits.max-events")
			.withMessageContaining("maxBytesPerBatch must be at most 5242880")
			.withMessageContaining("gateway.ingest.limits.max-request-bytes");
	}

	@Test
	void theBackoffCapMustNotBeBelowTheInitialWait() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> GatewayClient.builder()
				.target("127.0.0.1:9080")
				.initialBackoff(Duration.ofSeconds(2))
				.maxBackoff(Duration.ofSeconds(1))
				.build())
			.withMessageContaining("maxBackoff (PT1S) must be at least initialBackoff (PT2S)");
	}

}
