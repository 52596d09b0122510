package io.eventgateway.bench.series;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CompilerThreadsTests {

	private static final String C2 = "4210 (C2 CompilerThre) S 4182 4182 1 0 -1 1077936192 3 0 0 0 1234 56 0 0 20 0 "
			+ "48 0 812 9000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 1 0 0 0 0 0";

	@Test
	void aStatLineGivesItsThreadNameAndUserPlusSystemTicks() {
		assertThat(CompilerThreads.commandOf(C2)).isEqualTo("C2 CompilerThre");
		assertThat(CompilerThreads.ticksOf(C2)).isEqualTo(1234 + 56);
	}

	@Test
	void aNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
		String odd = C2.replace("(C2 CompilerThre)", "(a) b (c) d)");

		assertThat(CompilerThreads.commandOf(odd)).isEqualTo("a) b (c) d");
		assertThat(CompilerThreads.ticksOf(odd)).isEqualTo(1234 + 56);
	}

	@Test
	void onlyTheJitCompilersThreadsCount() {
		assertThat(CompilerThreads.isCompiler("C1 CompilerThre")).isTrue();
		assertThat(CompilerThreads.isCompiler("C2 CompilerThre")).isTrue();
		assertThat(CompilerThreads.isCompiler("grpc-default-ex")).isFalse();
		assertThat(CompilerThreads.isCompiler("Compiler")).isFalse();
	}

	@Test
	void thisJvmsCompilersHaveUsedTimeThatNeverGoesBack() {
		assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
		CompilerThreads compilers = new CompilerThreads(List.of(ProcessHandle.current().pid()));

		long first = compilers.cpuNanos();
		long second = compilers.cpuNanos();

		// Starting this JVM and the test framework compiled code: more than a 10 ms tick.
		assertThat(first).isPositive();
		assertThat(second).isGreaterThanOrEqualTo(first);
	}

	@Test
	void aProcessThatIsGoneCountsNothing() {
		CompilerThreads compilers = new CompilerThreads(List.of(Long.MAX_VALUE));

		assertThat(compilers.cpuNanos()).isZero();
	}

}
