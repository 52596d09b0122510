package io.eventgateway.bench.series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeriesTests {

	private static final List<MeteredProcess> PROCESSES = List.of(
			new MeteredProcess("gateway JVM", ProcessRole.GATEWAY, () -> 0),
			new MeteredProcess("broker", ProcessRole.BROKER, () -> 0),
			new MeteredProcess("load generator", ProcessRole.LOAD_GENERATOR, () -> 0));

	@Test
	void aSteadyBacklogDoesNotGrowWhileARisingOneDoes() {
		List<SecondSample> flat = new ArrayList<>();
		List<SecondSample> rising = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			flat.add(sample(i, "step", 1000, 1000, (i % 2 == 0) ? 120 : 80, null, 0, 0, 0));
			rising.add(sample(i, "step", 1000, 900, 100L * i, null, 0, 0, 0));
		}

		assertThat(Series.backlogGrowth(flat)).isCloseTo(0, within(50.0));
		assertThat(Series.backlogGrowth(rising)).isCloseTo(1000, within(1.0));
		assertThat(Series.backlogGrowth(flat.subList(0, 1))).isZero();
	}

	@Test
	void cpuPerEventAddsUpTheProcessesOfTheGivenRolesOverProcessedEvents() {
		Series series = new Series("test", List.of(sample(1, "a", 1000, 1000, 0, null, 2_000_000, 1_000_000, 500_000),
				sample(2, "a", 1000, 1000, 0, null, 2_000_000, 1_000_000, 500_000)), PROCESSES, 0);

		assertThat(series.cpuMicrosPerEvent(series.samples(), Set.of(ProcessRole.GATEWAY))).isEqualTo(2.0);
		assertThat(series.cpuMicrosPerEvent(series.samples(), Set.of(ProcessRole.GATEWAY, ProcessRole.BROKER)))
			.isEqualTo(3.0);
		assertThat(series.cpuMicrosPerEvent(series.samples(), Set.of(ProcessRole.LOAD_GENERATOR))).isEqualTo(0.5);
	}

	@Test
	void theJitCompilersShareIsReportedApartAndOnlyWhenFollowed() {
		List<MeteredProcess> withJit = new ArrayList<>(PROCESSES);
		withJit.add(new MeteredProcess("JIT", ProcessRole.JIT_COMPILERS, () -> 0));
		List<SecondSample> samples = List.of(new SecondSample(1, 1.0, "a", 1000, 1000, 1000, 0, null,
				Map.of("gateway JVM", 2_000_000L, "broker", 1_000_000L, "load generator", 0L, "JIT", 600_000L),
				Map.of()));
		Map<String, Object> followed = new LinkedHashMap<>();
		Map<String, Object> notFollowed = new LinkedHashMap<>();

		new Series("test", samples, withJit, 0).reportCpu("x", samples, followed);
		new Series("test", samples, PROCESSES, 0).reportCpu("x", samples, notFollowed);

		assertThat(followed).containsEntry("x CPU µs per event, of which JIT compilation (gateway and broker)", 0.6)
			.containsEntry("x CPU µs per event, gateway and broker", 3.0);
		assertThat(notFollowed).doesNotContainKey("x CPU µs per event, of which JIT compilation (gateway and broker)");
	}

	@Test
	void windowsPickSamplesByTheirEndAndTheSecondHalfLeavesTheRampOut() {
		List<SecondSample> samples = new ArrayList<>();
		for (int i = 1; i <= 6; i++) {
			samples.add(sample(i, (i <= 3) ? "one" : "two", 10, 10, 0, null, 0, 0, 0));
		}
		Series series = new Series("test", samples, PROCESSES, 0);

		assertThat(series.between(1, 4)).extracting(SecondSample::at).containsExactly(2.0, 3.0, 4.0);
		assertThat(series.phase("two")).extracting(SecondSample::at).containsExactly(4.0, 5.0, 6.0);
		assertThat(Series.secondHalf(series.samples())).extracting(SecondSample::at).containsExactly(4.0, 5.0, 6.0);
	}

	@Test
	void p30LatenciesMergeOverAWindowAndShowPerSecondInTheJson() {
		Histogram fast = histogram(1_000);
		Histogram slow = histogram(100_000);
		Series series = new Series("test", List.of(sample(1, "a", 10, 10, 0, fast, 0, 0, 0),
				sample(2, "a", 10, 10, 0, slow, 0, 0, 0), sample(3, "a", 10, 10, 0, null, 0, 0, 0)), PROCESSES, 0);

		assertThat(Series.p30(series.samples()).getTotalCount()).isEqualTo(2);
		Map<String, Object> json = series.toJson();
		assertThat(json).containsEntry("name", "test");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> seconds = (List<Map<String, Object>>) json.get("seconds");
		assertThat((Double) seconds.get(1).get("P30 p99 ms")).isCloseTo(100.0, within(0.2));
		assertThat(seconds.get(2).get("P30 p99 ms")).isNull();
		assertThat(seconds.get(0)).containsKeys("offered/s", "accepted/s", "processed/s", "backlog", "CPU cores");
	}

	@Test
	void theSamplerTakesDifferencesAndCarriesTheBacklog() {
		AtomicLongArray counters = new AtomicLongArray(3);
		AtomicReference<Histogram> p30 = new AtomicReference<>(histogram(5_000));
		SeriesSampler sampler = SeriesSampler.start("test",
				SeriesSource.of(() -> counters.get(0), () -> counters.get(1), () -> counters.get(2),
						() -> p30.getAndSet(null)),
				List.of(new MeteredProcess("gateway JVM", ProcessRole.GATEWAY, () -> counters.get(0) * 1000)));
		counters.set(0, 100);
		counters.set(1, 100);
		counters.set(2, 60);
		p30.set(histogram(7_000));
		sampler.phase("later");
		Series series = sampler.stop();

		// Its own thread may have sampled in between: the sums and the last second tell.
		List<SecondSample> samples = series.samples();
		assertThat(samples.stream().mapToLong(SecondSample::offered).sum()).isEqualTo(100);
		assertThat(Series.processed(samples)).isEqualTo(60);
		assertThat(samples).last().satisfies((last) -> {
			assertThat(last.phase()).isEqualTo("later");
			assertThat(last.backlog()).isEqualTo(40);
		});
		// What was recorded before the series began is not in it.
		assertThat(Series.p30(samples).getTotalCount()).isEqualTo(1);
		assertThat(Series.p30(samples).getValueAtPercentile(99) / 1000.0).isCloseTo(7.0, within(0.1));
		assertThat(samples.stream().mapToLong((sample) -> sample.cpuNanos().get("gateway JVM")).sum())
			.isEqualTo(100_000);
		assertThat(series.failedSamples()).isZero();
	}

	@Test
	void aWindowsPercentileIsNeverBelowTheLatenciesOfItsSeconds() {
		// Per-second histograms as the benchmark's worker keeps them: two significant
		// digits. Merged into three-digit buckets, 251.9 ms read as 251 ms, under a 250
		// ms
		// bound's 1% of slack.
		Histogram second = new Histogram(2);
		second.recordValue(251_900);
		List<SecondSample> window = List.of(sample(0, "", 1, 1, 0, second, 0, 0, 0),
				sample(1, "", 1, 1, 0, histogram(100_000), 0, 0, 0));

		assertThat(Series.p30(window).getValueAtPercentile(99)).isGreaterThanOrEqualTo(251_900);
		assertThat(Series.p30(window).getTotalCount()).isEqualTo(2);
	}

	static SecondSample sample(double at, String phase, long offered, long processed, long backlog, Histogram p30,
			long gatewayNanos, long brokerNanos, long loadNanos) {
		return new SecondSample(at, 1.0, phase, offered, offered, processed, backlog, p30,
				Map.of("gateway JVM", gatewayNanos, "broker", brokerNanos, "load generator", loadNanos), Map.of());
	}

	static Histogram histogram(long micros) {
		Histogram histogram = new Histogram(TimeUnit.HOURS.toMicros(2), 3);
		histogram.recordValue(micros);
		return histogram;
	}

}
