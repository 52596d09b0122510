package io.eventgateway.ingest.delay;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DelayCapTests {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final DelayCap cap = new DelayCap(Duration.ofHours(1));

	@Test
	void noDelayMeansNow() {
		assertThat(this.cap.dueAt(NOW, Duration.ZERO, null)).isEqualTo(NOW);
	}

	@Test
	void theRuleDelayCounts() {
		assertThat(this.cap.dueAt(NOW, Duration.ofSeconds(5), null)).isEqualTo(NOW.plusSeconds(5));
	}

	@Test
	void theLaterOfRuleDelayAndNotBeforeWins() {
		assertThat(this.cap.dueAt(NOW, Duration.ofSeconds(5), NOW.plusSeconds(10))).isEqualTo(NOW.plusSeconds(10));
		assertThat(this.cap.dueAt(NOW, Duration.ofSeconds(5), NOW.plusSeconds(1))).isEqualTo(NOW.plusSeconds(5));
	}

	@Test
	void aNotBeforeInThePastMeansNow() {
		assertThat(this.cap.dueAt(NOW, Duration.ZERO, NOW.minusSeconds(60))).isEqualTo(NOW);
	}

	@Test
	void delaysLongerThanTheOldThirtySecondCapAreKept() {
		assertThat(this.cap.dueAt(NOW, Duration.ZERO, NOW.plus(Duration.ofMinutes(45))))
			.isEqualTo(NOW.plus(Duration.ofMinutes(45)));
	}

	@Test
	void delaysAreCappedAtTheMaximum() {
		assertThat(this.cap.dueAt(NOW, Duration.ZERO, NOW.plus(Duration.ofDays(1)))).isEqualTo(NOW.plusSeconds(3600));
		assertThat(this.cap.dueAt(NOW, Duration.ofHours(2), null)).isEqualTo(NOW.plusSeconds(3600));
	}

	@Test
	void aMaximumOfZeroOrLessIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DelayCap(Duration.ZERO))
			.withMessageContaining("positive");
		assertThatIllegalArgumentException().isThrownBy(() -> new DelayCap(Duration.ofSeconds(-1)));
	}

}
