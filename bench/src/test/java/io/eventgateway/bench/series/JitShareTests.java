package io.eventgateway.bench.series;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JitShareTests {

	private final AtomicLong compilerNanos = new AtomicLong(1_000);

	private final AtomicLong processNanos = new AtomicLong(10_000);

	@Test
	void eachReadingGivesTheCompilersShareOfTheProcessesTimeSinceTheLast() {
		JitShare jit = new JitShare(this.compilerNanos::get, () -> true, this.processNanos::get);

		this.compilerNanos.addAndGet(250);
		this.processNanos.addAndGet(1_000);
		assertThat(jit.sinceLast()).isEqualTo(0.25);

		this.processNanos.addAndGet(1_000);
		assertThat(jit.sinceLast()).isZero();
	}

	@Test
	void theShareIsClampedAndUnknownWithoutProcessTime() {
		assertThat(JitShare.share(1, 4)).isEqualTo(0.25);
		// Read a moment apart, the compilers may seem to have used more than the process.
		assertThat(JitShare.share(5, 4)).isEqualTo(1.0);
		assertThat(JitShare.share(-1, 4)).isZero();
		assertThat(JitShare.share(3, 0)).isNaN();
	}

	@Test
	void noCompilerThreadSeenMeansUnknownNotZero() {
		JitShare jit = new JitShare(() -> 0, () -> false, this.processNanos::get);
		this.processNanos.addAndGet(1_000);

		assertThat(jit.sinceLast()).isNaN();
	}

	@Test
	void aProcessThatIsGoneGivesAnUnknownShare() {
		assertThat(JitShare.of(List.of(Long.MAX_VALUE)).sinceLast()).isNaN();
	}

	@Test
	void thisJvmsShareIsMeasuredOnLinux() {
		assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
		CompilerThreads compilers = new CompilerThreads(List.of(ProcessHandle.current().pid()));
		compilers.cpuNanos();
		assumeTrue(compilers.seen(), "HotSpot's C1/C2 compiler threads");
		JitShare jit = JitShare.of(List.of(ProcessHandle.current().pid()));
		long deadline = System.nanoTime() + 5_000_000_000L;
		double share = Double.NaN;
		// Unknown only until this JVM has used a clock tick of CPU since the first
		// reading.
		while (Double.isNaN(share) && System.nanoTime() < deadline) {
			long sum = 0;
			for (int i = 0; i < 10_000_000; i++) {
				sum += i % 7;
			}
			assertThat(sum).isPositive();
			share = jit.sinceLast();
		}

		assertThat(share).isBetween(0.0, 1.0);
	}

}
