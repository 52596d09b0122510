package io.eventgateway.bench.series;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import com.sun.management.OperatingSystemMXBean;

/**
 * A process whose CPU time the series follows.
 *
 * @param name how the series names it, unique in one series
 * @param role what it is
 * @param cpuNanos its CPU time so far, on every thread, in nanoseconds
 */
public record MeteredProcess(String name, ProcessRole role, LongSupplier cpuNanos) {

	/** This JVM, from its operating system bean (nanosecond resolution). */
	public static MeteredProcess thisJvm(String name, ProcessRole role) {
		OperatingSystemMXBean bean = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		return new MeteredProcess(name, role, bean::getProcessCpuTime);
	}

	/**
	 * The JIT compiler threads of some processes of this machine, already counted in
	 * their processes' CPU time: stated apart, it tells warm-up from per-event cost. Read
	 * from Linux's {@code /proc}, in clock ticks of 10 ms; 0 elsewhere.
	 */
	public static MeteredProcess jitCompilers(String name, List<Long> pids) {
		CompilerThreads compilers = new CompilerThreads(pids);
		return new MeteredProcess(name, ProcessRole.JIT_COMPILERS, compilers::cpuNanos);
	}

	/**
	 * Another process of this machine, from what the operating system says of it (on
	 * Linux {@code /proc/<pid>/stat}, in clock ticks of usually 10 ms); once it has ended
	 * its CPU time stays at the last value read.
	 */
	public static MeteredProcess other(String name, ProcessRole role, long pid) {
		return new MeteredProcess(name, role, cpuTimeOf(pid));
	}

	/**
	 * A process's CPU time in nanoseconds, as {@link #other} reads it: once it has ended,
	 * the last value read.
	 */
	static LongSupplier cpuTimeOf(long pid) {
		long[] last = new long[1];
		return () -> {
			ProcessHandle.of(pid)
				.flatMap((handle) -> handle.info().totalCpuDuration())
				.map(Duration::toNanos)
				.ifPresent((nanos) -> last[0] = Math.max(last[0], nanos));
			return last[0];
		};
	}

}
