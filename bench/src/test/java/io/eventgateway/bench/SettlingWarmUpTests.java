package io.eventgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SettlingWarmUpTests {

	private final List<Duration> ran = new ArrayList<>();

	@Test
	void settledCompilationEndsTheWarmUpAfterItsLeast() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofMinutes(10), 0.5, 0.04)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30));
		assertThat(warmed).isEqualTo(new SettlingWarmUp.Warmed(Duration.ofSeconds(30), 0.04, true));
	}

	@Test
	void theWarmUpGoesOnInStepsWhileTheCompilersAreBusy() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofMinutes(10), 0.5, 0.4, 0.2, 0.05)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30), SettlingWarmUp.STEP, SettlingWarmUp.STEP);
		assertThat(warmed.length()).isEqualTo(Duration.ofSeconds(70));
		assertThat(warmed.settled()).isTrue();
	}

	@Test
	void theLimitEndsAWarmUpWhoseCompilationNeverSettlesAndTheLastStepIsCut() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofSeconds(60), 0.5, 0.4, 0.3, 0.3)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30), SettlingWarmUp.STEP, Duration.ofSeconds(10));
		assertThat(warmed).isEqualTo(new SettlingWarmUp.Warmed(Duration.ofSeconds(60), 0.3, false));
		assertThat(warmed.describe()).contains("60s of warm-up", "30%", "had not settled");
	}

	@Test
	void aWarmUpOfZeroRunsNoLoad() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ZERO, Duration.ofMinutes(10), 0.9).run(this::load);

		assertThat(this.ran).isEmpty();
		assertThat(warmed.describe()).isEqualTo("no warm-up");
	}

	@Test
	void aFixedWarmUpRunsOnceWhateverTheCompilersDo() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(5), Duration.ofSeconds(5), 0.5, 0.9).run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(5));
		assertThat(warmed.settled()).isFalse();
	}

	@Test
	void aLimitBelowTheLeastIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> warmUp(Duration.ofMinutes(2), Duration.ofMinutes(1), 0.0))
			.withMessageContaining("least");
	}

	/**
	 * A warm-up whose compilers' share reads, in turn: at the start (the window opens),
	 * then after each step.
	 */
	private static SettlingWarmUp warmUp(Duration least, Duration limit, double... shares) {
		Iterator<Double> readings = Arrays.stream(shares).boxed().iterator();
		return new SettlingWarmUp(least, limit, readings::next);
	}

	private void load(Duration length) {
		this.ran.add(length);
	}

}
