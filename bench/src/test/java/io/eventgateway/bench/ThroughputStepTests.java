package io.eventgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import io.eventgateway.bench.load.LoadOutcome;
import io.eventgateway.bench.load.LoadPlan;
import io.eventgateway.bench.series.SecondSample;
import io.eventgateway.client.SendResult;

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputStepTests {

	private static final Duration BOUND = Duration.ofMillis(250);

	@Test
	void aStepKeptUpWithCounts() {
		ThroughputStep step = ThroughputStep.judge(1000, outcome(1000, 10_000, 10_000, 10.0), samples(0, 20_000),
				BOUND);

		assertThat(step.sustained()).as(step.summary()).isTrue();
		assertThat(step.secondHalf()).hasSize(12);
	}

	@Test
	void aStepWithTooFewSamplesInItsJudgedHalfFailsRatherThanPassingByDefault() {
		ThroughputStep step = ThroughputStep.judge(1000, outcome(1000, 10_000, 10_000, 10.0),
				samples(0, 20_000).subList(0, 18), BOUND);

		assertThat(step.sustained()).isFalse();
		assertThat(step.problems()).singleElement().asString().contains("9 per-second samples", "fewer than 10");
	}

	@Test
	void eventsHandedToTheClientButNeverAnsweredDoNotCountTowardsTheAchievedRate() {
		LoadPlan plan = new LoadPlan("step", LoadPlan.GATEWAY, "127.0.0.1:1", null, 1000, 10_000, 0.1, 0.3, "x");
		// Every event handed over in time, but ingest answered for only 9,500 of them.
		LoadOutcome outcome = new LoadOutcome(plan, 10_000, 9_500, 500, 9_500, 10.0, 10.0, new BitSet());

		ThroughputStep step = ThroughputStep.judge(1000, outcome, samples(0, 20_000), BOUND);

		assertThat(outcome.achievedRate()).isEqualTo(950.0);
		assertThat(step.problems()).anySatisfy((problem) -> assertThat(problem).contains("answered for 950/s"));
	}

	@Test
	void answersArrivingLateLowerTheAchievedRate() {
		LoadPlan plan = new LoadPlan("step", LoadPlan.GATEWAY, "127.0.0.1:1", null, 1000, 10_000, 0.1, 0.3, "x");

		assertThat(new LoadOutcome(plan, 10_000, 10_000, 0, 10_000, 12.5, 10.0, new BitSet()).achievedRate())
			.isEqualTo(800.0);
	}

	@Test
	void onlyAnAnswerFromIngestCountsAsReceived() {
		assertThat(LoadOutcome.receivedByIngest(result(SendResult.Outcome.ACCEPTED))).isTrue();
		assertThat(LoadOutcome.receivedByIngest(result(SendResult.Outcome.INVALID))).isTrue();
		assertThat(LoadOutcome.receivedByIngest(result(SendResult.Outcome.FAILED))).isFalse();
		assertThat(LoadOutcome.receivedByIngest(result(SendResult.Outcome.DEADLINE_EXCEEDED))).isFalse();
		assertThat(LoadOutcome.receivedByIngest(null)).isFalse();
	}

	@Test
	void aGeneratorThatFellBehindMeansTheRateWasNotOffered() {
		ThroughputStep step = ThroughputStep.judge(1000, outcome(1000, 10_000, 10_000, 10.5), samples(0, 20_000),
				BOUND);

		assertThat(step.sustained()).isFalse();
		assertThat(step.problems()).singleElement().asString().contains("answered for 952/s");
	}

	@Test
	void refusalsAGrowingBacklogAndSlowP30EachFailTheStep() {
		assertThat(ThroughputStep.judge(1000, outcome(1000, 10_000, 9_999, 10.0), samples(0, 20_000), BOUND).problems())
			.singleElement()
			.asString()
			.contains("1 events not accepted");
		assertThat(
				ThroughputStep.judge(1000, outcome(1000, 10_000, 10_000, 10.0), samples(200, 20_000), BOUND).problems())
			.singleElement()
			.asString()
			.contains("backlog grew");
		assertThat(
				ThroughputStep.judge(1000, outcome(1000, 10_000, 10_000, 10.0), samples(0, 300_000), BOUND).problems())
			.singleElement()
			.asString()
			// Read at the series' two significant digits: the top of 300 ms's bucket.
			.contains("P30 p99 301.1 ms");
	}

	private static LoadOutcome outcome(int rate, long offered, long accepted, double sendSeconds) {
		LoadPlan plan = new LoadPlan("step", LoadPlan.GATEWAY, "127.0.0.1:1", null, rate, 10_000, 0.1, 0.3, "x");
		return new LoadOutcome(plan, offered, accepted, offered - accepted, offered, sendSeconds, sendSeconds,
				new BitSet());
	}

	private static SendResult result(SendResult.Outcome outcome) {
		return new SendResult("e", outcome, null, null, null, 1);
	}

	private static List<SecondSample> samples(long backlogPerSecond, long p30Micros) {
		List<SecondSample> samples = new ArrayList<>();
		for (int i = 1; i <= 24; i++) {
			Histogram p30 = new Histogram(TimeUnit.HOURS.toMicros(2), 3);
			p30.recordValueWithCount(p30Micros, 100);
			samples.add(new SecondSample(i, 1.0, "step", 1000, 1000, 1000 - backlogPerSecond, 50 + backlogPerSecond * i,
					p30, Map.of(), Map.of()));
		}
		return samples;
	}

}
