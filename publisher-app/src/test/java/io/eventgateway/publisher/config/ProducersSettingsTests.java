package io.eventgateway.publisher.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.eventgateway.publisher.config.PublisherProperties.Offload;
import io.eventgateway.publisher.config.PublisherProperties.P10;
import io.eventgateway.publisher.config.PublisherProperties.P20;
import io.eventgateway.publisher.config.PublisherProperties.P30;
import io.eventgateway.publisher.config.PublisherProperties.Producers;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProducersSettingsTests {

	private static final DataSize BATCH = DataSize.ofKilobytes(16);

	@Test
	void noCompletionThreadIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> producers(0))
			.withMessageContaining("gateway.publisher.producers.completion-threads")
			.withMessageContaining("was 0");
	}

	@Test
	void oneCompletionThreadIsEnough() {
		assertThat(producers(1).completionThreads()).isEqualTo(1);
	}

	@Test
	void anEmptyCompletionQueueIsRefusedNamingTheSetting() {
		assertThatIllegalArgumentException().isThrownBy(() -> producers(2, 0))
			.withMessageContaining("gateway.publisher.producers.completion-queue")
			.withMessageContaining("was 0");
	}

	private static Producers producers(int completionThreads) {
		return producers(completionThreads, 100_000);
	}

	private static Producers producers(int completionThreads, int completionQueue) {
		return new Producers(new P30(Duration.ZERO, BATCH, "none"), new P20(Duration.ZERO, BATCH, "none"),
				new P10(Duration.ZERO, BATCH, "none"), new Offload(Duration.ZERO, BATCH, "none"), completionThreads,
				completionQueue);
	}

}
