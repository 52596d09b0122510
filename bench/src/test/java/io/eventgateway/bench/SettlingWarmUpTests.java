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

	/** The warm-up's clock: each load takes its length plus {@link #drain}. */
	private long nanos;

	private Duration drain = Duration.ZERO;

	@Test
	void settledCompilationEndsTheWarmUpAfterItsLeast() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofMinutes(10), 0.5, 0.04)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30));
		assertThat(warmed).isEqualTo(new SettlingWarmUp.Warmed(Duration.ofSeconds(30), 0.04, true, false));
		assertThat(warmed.describe())
			.isEqualTo("30.0s of warm-up, JIT compilation 4.00% of the CPU over its last step");
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
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofSeconds(65), 0.5, 0.4, 0.3, 0.3)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30), SettlingWarmUp.STEP, Duration.ofSeconds(15));
		assertThat(warmed).isEqualTo(new SettlingWarmUp.Warmed(Duration.ofSeconds(65), 0.3, false, false));
		assertThat(warmed.describe()).contains("65.0s of warm-up", "30.00%", "had not settled");
	}

	@Test
	void theLimitIsWallTimeWaitingForEachStepsLoadIncluded() throws Exception {
		this.drain = Duration.ofSeconds(25);

		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofSeconds(100), 0.5, 0.4, 0.3, 0.3)
			.run(this::load);

		// 30 + 25, then 20 + 25: 100 s of wall time, with no room for another step.
		assertThat(this.ran).containsExactly(Duration.ofSeconds(30), SettlingWarmUp.STEP);
		assertThat(warmed.length()).isEqualTo(Duration.ofSeconds(100));
	}

	@Test
	void aRestOfTheLimitTooShortToJudgeIsNotRun() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofSeconds(35), 0.5, 0.4, 0.0)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30));
		assertThat(warmed.settled()).isFalse();
	}

	@Test
	void aShareThatCannotBeMeasuredEndsTheWarmUpAfterItsLeastAndSaysSo() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofMinutes(10), Double.NaN, Double.NaN)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30));
		assertThat(warmed.settled()).isFalse();
		assertThat(warmed.describe()).contains("JIT compilation not measured");
	}

	@Test
	void aShareThatBecomesUnknownAfterMeasuredStepsEndsTheWarmUp() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(30), Duration.ofMinutes(10), 0.5, 0.4, Double.NaN)
			.run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(30), SettlingWarmUp.STEP);
		assertThat(warmed.describe()).contains("50.0s of warm-up", "not measured");
	}

	@Test
	void aWarmUpOfZeroRunsNoLoad() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ZERO, Duration.ZERO, 0.9).run(this::load);

		assertThat(this.ran).isEmpty();
		assertThat(warmed.describe()).isEqualTo("no warm-up");
	}

	@Test
	void aFixedWarmUpRunsOnceWhateverTheCompilersDo() throws Exception {
		SettlingWarmUp.Warmed warmed = warmUp(Duration.ofSeconds(5), Duration.ofSeconds(5), 0.5, 0.9).run(this::load);

		assertThat(this.ran).containsExactly(Duration.ofSeconds(5));
		assertThat(warmed.settled()).isFalse();
		assertThat(warmed.describe())
			.isEqualTo("5.0s of warm-up (fixed), JIT compilation 90.00% of the CPU over its last step");
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
	private SettlingWarmUp warmUp(Duration least, Duration limit, double... shares) {
		Iterator<Double> readings = Arrays.stream(shares).boxed().iterator();
		return new SettlingWarmUp(least, limit, readings::next, () -> this.nanos);
	}

	private void load(Duration length) {
		this.ran.add(length);
		this.nanos += length.plus(this.drain).toNanos();
	}

}
