package io.eventgateway.bench.series;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The share of some processes' CPU time that their JIT compilers used between two
 * readings: how far HotSpot still is from having compiled what the load runs. Read from
 * Linux's {@code /proc} in clock ticks of 10 ms. Where it cannot be read (not Linux, or a
 * JVM whose compiler threads are not HotSpot's C1 and C2) the share is NaN: unknown, not
 * zero. Not thread-safe: one warm-up reads it.
 */
public final class JitShare {

	private final LongSupplier compilerNanos;

	private final BooleanSupplier compilersSeen;

	private final LongSupplier processNanos;

	private long lastCompilerNanos;

	private long lastProcessNanos;

	JitShare(LongSupplier compilerNanos, BooleanSupplier compilersSeen, LongSupplier processNanos) {
		this.compilerNanos = compilerNanos;
		this.compilersSeen = compilersSeen;
		this.processNanos = processNanos;
		this.lastCompilerNanos = compilerNanos.getAsLong();
		this.lastProcessNanos = processNanos.getAsLong();
	}

	/** Follows these processes from now on. */
	public static JitShare of(List<Long> pids) {
		CompilerThreads compilers = new CompilerThreads(pids);
		List<LongSupplier> processes = pids.stream().map(MeteredProcess::cpuTimeOf).toList();
		return new JitShare(compilers::cpuNanos, compilers::seen,
				() -> processes.stream().mapToLong(LongSupplier::getAsLong).sum());
	}

	/**
	 * The compilers' share of the processes' CPU time since the last call, or since
	 * {@link #of} for the first: from 0 to 1, or NaN when it cannot be measured.
	 */
	public double sinceLast() {
		long compilers = this.compilerNanos.getAsLong();
		long processes = this.processNanos.getAsLong();
		double share = this.compilersSeen.getAsBoolean()
				? share(compilers - this.lastCompilerNanos, processes - this.lastProcessNanos) : Double.NaN;
		this.lastCompilerNanos = compilers;
		this.lastProcessNanos = processes;
		return share;
	}

	/**
	 * The compilers' time over the processes' time, from 0 to 1: the two are read at
	 * slightly different moments, so the ratio is clamped; no process time gives NaN.
	 */
	static double share(long compilerNanos, long processNanos) {
		if (processNanos <= 0) {
			return Double.NaN;
		}
		return Math.min(1, Math.max(0, (double) compilerNanos / processNanos));
	}

}
