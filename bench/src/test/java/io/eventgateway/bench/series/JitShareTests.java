package io.eventgateway.bench.series;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JitShareTests {

	@Test
	void theShareIsTheCompilersTimeOverTheProcessesClampedToOne() {
		assertThat(JitShare.share(1, 4)).isEqualTo(0.25);
		// Read a moment apart, the compilers may seem to have used more than the process.
		assertThat(JitShare.share(5, 4)).isEqualTo(1.0);
		assertThat(JitShare.share(-1, 4)).isZero();
		assertThat(JitShare.share(3, 0)).isZero();
	}

	@Test
	void thisJvmsCompilersUseAShareOfItsTimeWhileItLoadsNewCode() throws Exception {
		assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
		JitShare jit = JitShare.of(List.of(ProcessHandle.current().pid()));
		long deadline = System.nanoTime() + 5_000_000_000L;
		double share = 0;
		// Work the interpreter has not seen: each new lambda class and regex gets
		// compiled.
		for (int round = 0; share == 0 && System.nanoTime() < deadline; round++) {
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < 200_000; i++) {
				text.append((char) ('a' + (i * 31 + round) % 26));
			}
			assertThat(text.toString().replaceAll("[aeiou]+", "-").split("-").length).isPositive();
			share = jit.sinceLast();
		}

		assertThat(share).isGreaterThan(0).isLessThanOrEqualTo(1);
	}

}
