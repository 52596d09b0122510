package io.eventgateway.bench;

import java.time.Duration;

/**
 * Which rate the throughput search offers next: doubling from the start rate until a step
 * is not sustained, then bisecting between the highest rate sustained and the lowest one
 * missed until they are within {@link #RESOLUTION} of each other, or until the steps the
 * budget allows are spent. There is no fixed ceiling: the search doubles as long as the
 * budget lasts, and {@link #ceilingHit} says when no step failed, so that the highest
 * rate sustained is a lower bound rather than the gateway's limit.
 *
 * <p>
 * Not thread-safe: one search runs its steps in turn.
 */
final class RateSearch {

	/**
	 * The bisection's resolution: it stops once the lowest rate missed is at most this
	 * share above the highest one sustained.
	 */
	static final double RESOLUTION = 0.10;

	/** The smallest gap, events/s, worth another step at low rates. */
	static final int MIN_GAP = 10;

	private final int maxSteps;

	private int steps;

	private int next;

	private int best;

	private Integer failed;

	/**
	 * @param startRate the first rate offered, events/s
	 * @param maxSteps how many steps the budget allows, at least one
	 */
	RateSearch(int startRate, int maxSteps) {
		if (startRate <= 0) {
			throw new IllegalArgumentException("the search's start rate (--rate) must be positive, was " + startRate);
		}
		this.next = startRate;
		this.maxSteps = Math.max(1, maxSteps);
	}

	/** How many steps a budget allows at a step length, at least one. */
	static int stepsWithin(Duration budget, Duration step) {
		return (int) Math.max(1, budget.toMillis() / step.toMillis());
	}

	/** Whether another step is due: budget left and the resolution not reached yet. */
	boolean hasNext() {
		return this.steps < this.maxSteps && this.next > 0;
	}

	/** The rate the next step offers. */
	int next() {
		return this.next;
	}

	/** What the step at {@link #next()} showed; decides the step after it. */
	void record(boolean sustained) {
		int rate = this.next;
		this.steps++;
		if (sustained) {
			this.best = Math.max(this.best, rate);
		}
		else {
			this.failed = (this.failed == null) ? rate : Math.min(this.failed, rate);
		}
		if (this.failed == null) {
			this.next = (int) Math.min(Integer.MAX_VALUE, 2L * rate);
		}
		else if (!resolved()) {
			this.next = (this.best + this.failed) / 2;
		}
		else {
			this.next = 0;
		}
	}

	private boolean resolved() {
		return this.failed - this.best <= Math.max(RESOLUTION * this.best, MIN_GAP);
	}

	/** The highest rate sustained, 0 when none was. */
	int best() {
		return this.best;
	}

	/** The lowest rate missed, or {@code null} when every step was sustained. */
	Integer failed() {
		return this.failed;
	}

	/**
	 * Whether every step was sustained: the budget ran out while still doubling, so the
	 * gateway's limit is somewhere above {@link #best()}, which is only a lower bound.
	 */
	boolean ceilingHit() {
		return this.failed == null;
	}

	/**
	 * How far the lowest rate missed lies above the highest sustained, as a share of the
	 * latter: at most {@link #RESOLUTION} when the search finished, more when the budget
	 * ran out first; NaN when nothing was missed or nothing sustained.
	 */
	double resolution() {
		return (this.failed == null || this.best == 0) ? Double.NaN : (this.failed - this.best) / (double) this.best;
	}

	/** How many steps ran. */
	int steps() {
		return this.steps;
	}

}
