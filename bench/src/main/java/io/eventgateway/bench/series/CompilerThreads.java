package io.eventgateway.bench.series;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time HotSpot's JIT compiler threads ({@code C1 CompilerThreadN},
 * {@code C2 CompilerThreadN}) of some processes have used, from Linux's
 * {@code /proc/<pid>/task/<tid>/stat}. A JVM compiles hot code for minutes after it
 * starts, and on a small machine that competes with the work measured: stated apart, it
 * tells warm-up from what each event costs once the code is compiled.
 *
 * <p>
 * Compiler threads come and go (HotSpot starts more while its queue is long), so each
 * thread's time is followed by its id and only what it added since the last reading is
 * counted: a thread that ends keeps what it had used. Where {@code /proc} cannot be read
 * (not Linux), the time stays 0. Not thread-safe: one sampler reads it.
 */
final class CompilerThreads {

	/**
	 * Clock ticks per second of {@code utime}/{@code stime}: Linux's USER_HZ, 100 on
	 * every common architecture.
	 */
	private static final long TICKS_PER_SECOND = 100;

	private final List<Long> pids;

	private final Map<String, Long> lastTicks = new HashMap<>();

	private long ticks;

	CompilerThreads(List<Long> pids) {
		this.pids = List.copyOf(pids);
	}

	/** Whether any compiler thread has been read: false where {@code /proc} is not. */
	boolean seen() {
		return !this.lastTicks.isEmpty();
	}

	/** The compiler threads' CPU time so far, in nanoseconds. */
	long cpuNanos() {
		for (long pid : this.pids) {
			Path tasks = Path.of("/proc", Long.toString(pid), "task");
			try (Stream<Path> threads = Files.list(tasks)) {
				threads.forEach((thread) -> read(pid + "/" + thread.getFileName(), thread.resolve("stat")));
			}
			catch (IOException | RuntimeException ex) {
				// The process has ended, or this is not Linux: what was counted stays.
			}
		}
		return this.ticks * (1_000_000_000L / TICKS_PER_SECOND);
	}

	private void read(String thread, Path stat) {
		String line;
		try {
			line = Files.readString(stat);
		}
		catch (IOException ex) {
			// The thread ended between the listing and the read.
			return;
		}
		if (!isCompiler(commandOf(line))) {
			return;
		}
		long now = ticksOf(line);
		long before = this.lastTicks.getOrDefault(thread, 0L);
		this.ticks += Math.max(0, now - before);
		this.lastTicks.put(thread, now);
	}

	/**
	 * The thread's name in a {@code stat} line: between the first '(' and the last ')'.
	 */
	static String commandOf(String statLine) {
		return statLine.substring(statLine.indexOf('(') + 1, statLine.lastIndexOf(')'));
	}

	/**
	 * Whether a thread name (cut to 15 characters by Linux) is a JIT compiler thread's.
	 */
	static boolean isCompiler(String command) {
		return command.startsWith("C1 CompilerThre") || command.startsWith("C2 CompilerThre");
	}

	/**
	 * User and system time of a {@code stat} line, in clock ticks: fields 14 and 15,
	 * counted after the name, which may hold spaces and parentheses.
	 */
	static long ticksOf(String statLine) {
		String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
		// After the name, field 3 (state) is index 0, so fields 14 and 15 are 11 and 12.
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

}
