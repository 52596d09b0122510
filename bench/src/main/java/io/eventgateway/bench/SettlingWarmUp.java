package io.eventgateway.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * A warm-up that lasts at least {@code --warm-up} and then goes on, a step at a time,
 * until the JIT compilers of the processes measured used at most {@link #SETTLED_SHARE}
 * of those processes' CPU over the last step, or until {@code --warm-up-limit}. On two
 * shared cores HotSpot still compiles for minutes (in a latency run at 3,750 events/s, a
 * fifth of the gateway's and the broker's CPU after 2 minutes): a fixed warm-up either
 * measures that compilation as per-event cost or wastes minutes on a larger machine.
 *
 * @param least how long the load runs at least
 * @param limit how long it runs at most, at least {@code least}
 * @param jitShare the compilers' share of the processes' CPU since it was last read
 */
record SettlingWarmUp(Duration least, Duration limit, DoubleSupplier jitShare) {

	/** The compilers' share of CPU under which compilation counts as settled. */
	static final double SETTLED_SHARE = 0.05;

	/** How long each step after the first runs. */
	static final Duration STEP = Duration.ofSeconds(20);

	SettlingWarmUp {
		if (least.isNegative() || limit.compareTo(least) < 0) {
			throw new IllegalArgumentException(
					"a warm-up needs 0 <= least <= limit, was least " + least + ", limit " + limit);
		}
	}

	/** Load that runs for a given time; its events are not measured. */
	@FunctionalInterface
	interface Load {

		void run(Duration length) throws IOException, InterruptedException;

	}

	/**
	 * How a warm-up went.
	 *
	 * @param length how long the load ran, in total
	 * @param jitShare the compilers' share of the processes' CPU over the last step
	 * @param settled whether that share was at most {@link #SETTLED_SHARE}; false when
	 * the limit came first
	 */
	record Warmed(Duration length, double jitShare, boolean settled) {

		static final Warmed NONE = new Warmed(Duration.ZERO, 0, false);

		/** How progress and results state it. */
		String describe() {
			if (this.length.isZero()) {
				return "no warm-up";
			}
			return this.length.toSeconds() + "s of warm-up, JIT compilation " + Math.round(100 * this.jitShare)
					+ "% of the CPU over its last step"
					+ (this.settled ? "" : " (the limit came first: compilation had not settled)");
		}

	}

	/** Runs the load until compilation settles or the limit; no load when least is 0. */
	Warmed run(Load load) throws IOException, InterruptedException {
		if (this.least.isZero()) {
			return Warmed.NONE;
		}
		this.jitShare.getAsDouble();
		Duration done = Duration.ZERO;
		Duration next = this.least;
		while (true) {
			load.run(next);
			done = done.plus(next);
			double share = this.jitShare.getAsDouble();
			Duration left = this.limit.minus(done);
			if (share <= SETTLED_SHARE || left.isZero() || left.isNegative()) {
				return new Warmed(done, share, share <= SETTLED_SHARE);
			}
			next = (left.compareTo(STEP) < 0) ? left : STEP;
		}
	}

}
