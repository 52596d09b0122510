package io.eventgateway.bench.series;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The share of some processes' CPU time that their JIT compilers used between two
 * readings: how far HotSpot still is from having compiled what the load runs. Read from
 * Linux's {@code /proc} in clock ticks of 10 ms; where it cannot be read the share is 0.
 * Not thread-safe: one warm-up reads it.
 */
public final class JitShare {

	private final CompilerThreads compilers;

	private final List<LongSupplier> processes;

	private long lastCompilerNanos;

	private long lastProcessNanos;

	private JitShare(List<Long> pids) {
		this.compilers = new CompilerThreads(pids);
		this.processes = pids.stream().map(MeteredProcess::cpuTimeOf).toList();
		this.lastCompilerNanos = this.compilers.cpuNanos();
		this.lastProcessNanos = processNanos();
	}

	/** Follows these processes from now on. */
	public static JitShare of(List<Long> pids) {
		return new JitShare(pids);
	}

	/**
	 * The compilers' share of the processes' CPU time since the last call, or since
	 * {@link #of} for the first.
	 */
	public double sinceLast() {
		long compilerNanos = this.compilers.cpuNanos();
		long processNanos = processNanos();
		double share = share(compilerNanos - this.lastCompilerNanos, processNanos - this.lastProcessNanos);
		this.lastCompilerNanos = compilerNanos;
		this.lastProcessNanos = processNanos;
		return share;
	}

	/**
	 * The compilers' time over the processes' time, from 0 to 1: the two are read at
	 * slightly different moments, so the ratio is clamped; no process time gives 0.
	 */
	static double share(long compilerNanos, long processNanos) {
		if (processNanos <= 0) {
			return 0;
		}
		return Math.min(1, Math.max(0, (double) compilerNanos / processNanos));
	}

	private long processNanos() {
		long nanos = 0;
		for (LongSupplier process : this.processes) {
			nanos += process.getAsLong();
		}
		return nanos;
	}

}
