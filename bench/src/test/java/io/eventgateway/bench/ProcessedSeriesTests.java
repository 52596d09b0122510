package io.eventgateway.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProcessedSeriesTests {

	@Test
	void countsEachSecondPerPriorityWithP30Latency() {
		ProcessedSeries series = new ProcessedSeries(0);

		series.record(TimeUnit.MILLISECONDS.toNanos(100), Priority.P30, 20_000);
		series.record(TimeUnit.MILLISECONDS.toNanos(900), Priority.P10, 5_000_000);
		series.record(TimeUnit.MILLISECONDS.toNanos(2100), Priority.P10, 6_000_000);

		assertThat(series.seconds()).hasSize(2);
		ProcessedSeries.ProcessedSecond first = series.seconds().get(0);
		assertThat(first.second()).isZero();
		assertThat(first.processed()).isEqualTo(Map.of(Priority.P30, 1L, Priority.P10, 1L));
		assertThat(first.p30p99Millis()).isCloseTo(20, within(0.5));
		ProcessedSeries.ProcessedSecond third = series.seconds().get(1);
		assertThat(third.second()).isEqualTo(2);
		assertThat(third.p30p50Millis()).isNaN();
	}

}
