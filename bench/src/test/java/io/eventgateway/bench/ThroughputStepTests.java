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

import static org.assertj.core.api.Assertions.assertThat;

class ThroughputStepTests {

	private static final Duration BOUND = Duration.ofMillis(250);

	@Test
	void aStepKeptUpWithCounts() {
		ThroughputStep step = ThroughputStep.judge(1000, outcome(1000, 10_000, 10_000, 10.0), samples(0, 20_000),
				BOUND);

		assertThat(step.sustained()).as(step.summary()).isTrue();
		assertThat(step.secondHalf()).hasSize(5);
	}

	@Test
	void aGeneratorThatFellBehindMeansTheRateWasNotOffered() {
		ThroughputStep step = ThroughputStep.judge(1000, outcome(1000, 10_000, 10_000, 10.5), samples(0, 20_000),
				BOUND);

		assertThat(step.sustained()).isFalse();
		assertThat(step.problems()).singleElement().asString().contains("sent 952/s");
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
			.contains("P30 p99 300.0 ms");
	}

	private static LoadOutcome outcome(int rate, long offered, long accepted, double sendSeconds) {
		LoadPlan plan = new LoadPlan("step", LoadPlan.GATEWAY, "127.0.0.1:1", null, rate, 10_000, 0.1, 0.3, "x");
		return new LoadOutcome(plan, offered, accepted, offered - accepted, sendSeconds, new BitSet());
	}

	private static List<SecondSample> samples(long backlogPerSecond, long p30Micros) {
		List<SecondSample> samples = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			Histogram p30 = new Histogram(TimeUnit.HOURS.toMicros(2), 3);
			p30.recordValueWithCount(p30Micros, 100);
			samples.add(new SecondSample(i, 1.0, "step", 1000, 1000, 1000 - backlogPerSecond, 50 + backlogPerSecond * i,
					p30, Map.of(), Map.of()));
		}
		return samples;
	}

}
