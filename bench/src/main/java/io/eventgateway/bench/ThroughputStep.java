package io.eventgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.eventgateway.bench.load.LoadOutcome;
import io.eventgateway.bench.series.SecondSample;
import io.eventgateway.bench.series.Series;

/**
 * One step of the throughput search and whether the gateway sustained it: at least
 * {@link #MIN_JUDGED_SAMPLES} per-second samples in the step's second half (fewer cannot
 * show a trend, so such a step fails rather than passing by default), the rate of events
 * ingest answered for within {@link #SEND_TOLERANCE} of the offered one, every event
 * accepted, the backlog flat over the second half and P30 p99 over that half under the
 * bound.
 *
 * @param rate the offered rate, events per second
 * @param outcome how the load generator's run went
 * @param secondHalf the series' samples of the step's second half
 * @param backlogGrowth how much the backlog grew over the second half (events)
 * @param p30P99Millis P30 p99 over the second half, NaN without a P30 event processed
 * @param problems why the step does not count, empty when it does
 */
record ThroughputStep(int rate, LoadOutcome outcome, List<SecondSample> secondHalf, double backlogGrowth,
		double p30P99Millis, List<String> problems) {

	/**
	 * The fewest per-second samples the judged half of a step must hold: a step of
	 * {@link BenchOptions#STEP} gives about 12.
	 */
	static final int MIN_JUDGED_SAMPLES = 10;

	/** The achieved rate's allowed shortfall against the offered rate. */
	static final double SEND_TOLERANCE = 0.02;

	/**
	 * The backlog's allowed growth over the second half, as a share of the events offered
	 * in it, on top of {@link #BACKLOG_SLACK}.
	 */
	static final double BACKLOG_TOLERANCE = 0.02;

	/**
	 * Events the backlog may grow by whatever the rate: batches in flight at a sample.
	 */
	static final long BACKLOG_SLACK = 100;

	/**
	 * Judges a step from the load generator's outcome and the series' samples of the step
	 * (from its start to the end of its load, drain not included).
	 */
	static ThroughputStep judge(int rate, LoadOutcome outcome, List<SecondSample> step, Duration p30Bound) {
		List<SecondSample> half = Series.secondHalf(step);
		double growth = Series.backlogGrowth(half);
		var p30 = Series.p30(half);
		double p99 = (p30.getTotalCount() > 0) ? p30.getValueAtPercentile(99) / 1000.0 : Double.NaN;
		List<String> problems = new ArrayList<>();
		if (half.size() < MIN_JUDGED_SAMPLES) {
			problems.add(String.format(Locale.ROOT,
					"%d per-second samples in the judged second half, fewer than %d: lengthen --step", half.size(),
					MIN_JUDGED_SAMPLES));
		}
		if (outcome.achievedShare() < 1 - SEND_TOLERANCE) {
			problems.add(String.format(Locale.ROOT, "ingest answered for %.0f/s, below %.0f%% of the offered rate",
					outcome.achievedRate(), 100 * (1 - SEND_TOLERANCE)));
		}
		if (outcome.refused() > 0 || outcome.accepted() != outcome.offered()) {
			problems.add((outcome.offered() - outcome.accepted()) + " events not accepted");
		}
		double allowed = BACKLOG_SLACK + BACKLOG_TOLERANCE * Series.offered(half);
		if (growth > allowed) {
			problems.add(String.format(Locale.ROOT, "backlog grew by %.0f events over the second half (allowed %.0f)",
					growth, allowed));
		}
		if (Double.isNaN(p99) || p99 > p30Bound.toMillis()) {
			problems.add(String.format(Locale.ROOT, "P30 p99 %.1f ms over the second half (bound %d ms)", p99,
					p30Bound.toMillis()));
		}
		return new ThroughputStep(rate, outcome, half, growth, p99, List.copyOf(problems));
	}

	/** Whether the step counts as sustained. */
	boolean sustained() {
		return this.problems.isEmpty();
	}

	/** The step in a few words, for progress and the results. */
	String summary() {
		return this.rate + "/s " + (sustained() ? "ok" : "not sustained (" + String.join("; ", this.problems) + ")");
	}

}
