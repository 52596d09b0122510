package io.eventgateway.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A warm-up that lasts at least {@code --warm-up} and then goes on, a step at a time,
 * until the JIT compilers of the processes measured used at most {@link #SETTLED_SHARE}
 * of those processes' CPU over the last step, or until {@code --warm-up-limit} of wall
 * time has passed. On two shared cores HotSpot still compiles for minutes (warming up at
 * 2,000 events/s, 23% of the gateway JVM's and the broker's CPU after 4 minutes): a fixed
 * warm-up either measures that compilation as per-event cost and queueing, or wastes
 * minutes on a larger machine. Where the compilers' share cannot be measured the warm-up
 * ends after {@code least}, and says so.
 *
 * @param least how long the load runs at least
 * @param limit how long the warm-up lasts at most, wall time, waiting for each step's
 * load to be processed included; at least {@code least}
 * @param jitShare the compilers' share of the processes' CPU since it was last read, or
 * NaN when it cannot be measured
 * @param nanoTime the clock the limit is kept by
 */
record SettlingWarmUp(Duration least, Duration limit, DoubleSupplier jitShare, LongSupplier nanoTime) {

	/** The compilers' share of CPU under which compilation counts as settled. */
	static final double SETTLED_SHARE = 0.05;

	/** How long each step after the first runs, at most. */
	static final Duration STEP = Duration.ofSeconds(20);

	/** The shortest step: a shorter rest of the limit is not worth a judgement. */
	static final Duration SHORTEST_STEP = STEP.dividedBy(2);

	SettlingWarmUp {
		if (least.isNegative() || limit.compareTo(least) < 0) {
			throw new IllegalArgumentException(
					"a warm-up needs 0 <= least <= limit, was least " + least + ", limit " + limit);
		}
	}

	SettlingWarmUp(Duration least, Duration limit, DoubleSupplier jitShare) {
		this(least, limit, jitShare, System::nanoTime);
	}

	/** Load that runs for a given time; its events are not measured. */
	@FunctionalInterface
	interface Load {

		void run(Duration length) throws IOException, InterruptedException;

	}

	/**
	 * How a warm-up went.
	 *
	 * @param length how long it took, wall time
	 * @param jitShare the compilers' share of the processes' CPU over the last step, NaN
	 * when it could not be measured
	 * @param settled whether that share was at most {@link #SETTLED_SHARE}; false when
	 * the limit came first or the share could not be measured
	 * @param fixed whether the warm-up had a fixed length (its least was its limit)
	 */
	record Warmed(Duration length, double jitShare, boolean settled, boolean fixed) {

		static final Warmed NONE = new Warmed(Duration.ZERO, Double.NaN, false, true);

		/** How progress and results state it. */
		String describe() {
			if (this.length.isZero()) {
				return "no warm-up";
			}
			String length = String.format(Locale.ROOT, "%.1fs of warm-up", this.length.toMillis() / 1000.0);
			if (Double.isNaN(this.jitShare)) {
				return length + ", JIT compilation not measured (no Linux /proc, no HotSpot C1/C2 threads,"
						+ " or the processes followed ended)";
			}
			String share = String.format(Locale.ROOT, ", JIT compilation %.2f%% of the CPU over its last step",
					100 * this.jitShare);
			if (this.fixed) {
				return length + " (fixed)" + share;
			}
			return length + share + (this.settled ? "" : " (the limit came first: compilation had not settled)");
		}

	}

	/**
	 * Runs the load until compilation settles or the limit; no load when least is 0, one
	 * run of {@code least} when the compilers' share cannot be measured. A step that
	 * throws ends the warm-up with its exception, and so the benchmark run: a measurement
	 * after a warm-up that did not happen would not be what it says.
	 */
	Warmed run(Load load) throws IOException, InterruptedException {
		if (this.least.isZero()) {
			return Warmed.NONE;
		}
		long start = this.nanoTime.getAsLong();
		this.jitShare.getAsDouble();
		Duration next = this.least;
		while (true) {
			load.run(next);
			double share = this.jitShare.getAsDouble();
			Duration done = Duration.ofNanos(this.nanoTime.getAsLong() - start);
			Duration left = this.limit.minus(done);
			boolean settled = share <= SETTLED_SHARE;
			if (settled || Double.isNaN(share) || left.compareTo(SHORTEST_STEP) < 0) {
				return new Warmed(done, share, settled, this.least.equals(this.limit));
			}
			next = (left.compareTo(STEP) < 0) ? left : STEP;
		}
	}

}
