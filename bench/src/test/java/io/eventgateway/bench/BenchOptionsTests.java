package io.eventgateway.bench;

import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchOptionsTests {

	private final PrintStream out = new PrintStream(OutputStream.nullOutputStream());

	@Test
	void benchmarksRunThreeTimesAfterAWarmUpLongEnoughForTheJitByDefault() {
		BenchOptions options = BenchOptions.parse(new String[] { "throughput" }, this.out);

		assertThat(options.repeat()).isEqualTo(3);
		assertThat(options.warmUp()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.warmUpLimit()).isEqualTo(Duration.ofMinutes(10));
		assertThat(options.p30Bound()).isEqualTo(Duration.ofMillis(250));
		assertThat(options.once().repeat()).isEqualTo(1);
		// Long enough for the judged half of a step to hold its minimum of samples.
		assertThat(options.step().toSeconds() / 2).isGreaterThanOrEqualTo(ThroughputStep.MIN_JUDGED_SAMPLES);
	}

	@Test
	void repeatWarmUpAndBoundAreSettable() {
		BenchOptions options = BenchOptions.parse(
				new String[] { "latency", "--repeat=5", "--warm-up=1m", "--p30-bound=100ms", "--step=40s" }, this.out);

		assertThat(options.repeat()).isEqualTo(5);
		assertThat(options.warmUp()).isEqualTo(Duration.ofMinutes(1));
		assertThat(options.p30Bound()).isEqualTo(Duration.ofMillis(100));
		assertThat(options.step()).isEqualTo(Duration.ofSeconds(40));
		assertThat(options.once().step()).isEqualTo(Duration.ofSeconds(40));
	}

	@Test
	void theWarmUpLimitIsSettableAndAWarmUpLongerThanTheDefaultLimitIsFixed() {
		assertThat(BenchOptions.parse(new String[] { "latency", "--warm-up-limit=2m" }, this.out).warmUpLimit())
			.isEqualTo(Duration.ofMinutes(2));
		BenchOptions longWarmUp = BenchOptions.parse(new String[] { "latency", "--warm-up=15m" }, this.out);
		assertThat(longWarmUp.warmUpLimit()).isEqualTo(Duration.ofMinutes(15));
		assertThat(longWarmUp.once().warmUpLimit()).isEqualTo(Duration.ofMinutes(15));
		assertThat(BenchOptions.parse(new String[] { "latency", "--warm-up=0s" }, this.out).warmUpLimit()).isZero();
		assertThatIllegalArgumentException().isThrownBy(
				() -> BenchOptions.parse(new String[] { "latency", "--warm-up=0s", "--warm-up-limit=5m" }, this.out))
			.withMessageContaining("--warm-up-limit goes with a --warm-up above 0");
	}

	@Test
	void theSmokeTestsWarmUpForAFixedTime() {
		BenchOptions smoke = new BenchOptions("latency", Duration.ofSeconds(30), 100, 100, 2, null, false, this.out);

		assertThat(smoke.warmUpLimit()).isEqualTo(smoke.warmUp()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void badValuesNameTheirOption() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse(new String[] { "latency", "--repeat=0" }, this.out))
			.withMessageContaining("--repeat");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse(new String[] { "latency", "--repeat=many" }, this.out))
			.withMessageContaining("--repeat");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse(new String[] { "latency", "--warm-up=soon" }, this.out))
			.withMessageContaining("--warm-up");
		assertThatIllegalArgumentException().isThrownBy(
				() -> BenchOptions.parse(new String[] { "latency", "--warm-up=2m", "--warm-up-limit=1m" }, this.out))
			.withMessageContaining("--warm-up-limit");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse(new String[] { "latency", "--p30-bound=0ms" }, this.out))
			.withMessageContaining("--p30-bound");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse(new String[] { "throughput", "--step=500ms" }, this.out))
			.withMessageContaining("--step");
	}

}
