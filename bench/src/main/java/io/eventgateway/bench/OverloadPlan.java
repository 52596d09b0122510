package io.eventgateway.bench;

import java.time.Duration;

/**
 * What the overload scenario offers, the same to the gateway and to the FIFO baseline.
 *
 * @param capacity the workers' capacity, events/s
 * @param offered the offered rate, events/s: a multiple of the capacity
 * @param load how long the load lasts; the drain follows, about
 * {@code (offered / capacity - 1) × load} more
 * @param warmUp how long the FIFO baseline is warmed up first, at {@code warmUpRate} (the
 * gateway before it warms up until its JIT compilers settle, in the same JVM)
 * @param warmUpRate half the capacity, so that the warm-up leaves no backlog
 * @param p30Share the share of P30 events
 * @param p20Share the share of P20 events (the rest are P10)
 * @param drainTimeout how long each system may take to process what it accepted
 */
record OverloadPlan(int capacity, int offered, Duration load, Duration warmUp, int warmUpRate, double p30Share,
		double p20Share, Duration drainTimeout) {

	/**
	 * The shortest warm-up: enough for every consumer to join and every client to
	 * connect.
	 */
	static final Duration MIN_WARM_UP = Duration.ofSeconds(2);

	/** The longest warm-up: past the JIT's thresholds at half the capacity. */
	static final Duration MAX_WARM_UP = Duration.ofSeconds(30);

	/**
	 * The plan for a capacity, a factor and the load's duration ({@code --duration}): a
	 * tenth of it for the warm-up, between {@link #MIN_WARM_UP} and {@link #MAX_WARM_UP};
	 * a drain timeout of twice the expected drain plus ten minutes.
	 */
	static OverloadPlan of(int capacity, int factor, Duration load) {
		if (capacity <= 0 || factor <= 0) {
			throw new IllegalArgumentException(
					"--capacity and --factor must be positive, were " + capacity + " and " + factor);
		}
		if (load.isNegative() || load.isZero()) {
			throw new IllegalArgumentException("--duration must be positive, was " + load);
		}
		Duration warmUp = load.dividedBy(10);
		warmUp = (warmUp.compareTo(MIN_WARM_UP) < 0) ? MIN_WARM_UP
				: (warmUp.compareTo(MAX_WARM_UP) > 0) ? MAX_WARM_UP : warmUp;
		Duration drain = load.multipliedBy(Math.max(0, factor - 1));
		return new OverloadPlan(capacity, capacity * factor, load, warmUp, Math.max(1, capacity / 2), 0.1, 0.3,
				drain.multipliedBy(2).plusMinutes(10));
	}

}
