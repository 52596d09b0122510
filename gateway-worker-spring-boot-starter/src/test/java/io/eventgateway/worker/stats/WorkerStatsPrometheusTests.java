package io.eventgateway.worker.stats;

import java.time.Instant;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-off latency as Prometheus scrapes it: cumulative buckets at the SLO boundaries
 * under the {@code le} strings the chart's rules use, and no client-side percentiles.
 */
class WorkerStatsPrometheusTests {

	@Test
	void handOffLatencyIsABucketedHistogramWithTheSloBoundaries() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		WorkerStats stats = new WorkerStats(registry);
		Instant now = Instant.now();
		stats.handedOff(Priority.P30, 0, now.minusSeconds(3), now);
		stats.handedOff(Priority.P30, 0, now.minusSeconds(50), now);

		String scrape = registry.scrape();

		assertThat(scrape).contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"0.05\"} 0")
			.contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"2.5\"} 0")
			.contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"5.0\"} 1")
			.contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"60.0\"} 2")
			.contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"1200.0\"} 2")
			.contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"3600.0\"} 2")
			.contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"+Inf\"} 2")
			.contains("gateway_worker_handoff_latency_seconds_count{priority=\"P30\"} 2")
			.contains("gateway_worker_processor_failures_total{kind=\"exception\"} 0")
			.doesNotContain("quantile");
	}

	@Test
	void retriesAreLeftOutOfTheHandOffLatency() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		WorkerStats stats = new WorkerStats(registry);
		Instant now = Instant.now();
		stats.handedOff(Priority.P30, 0, now.minusSeconds(1), now);
		// A NACKed event back from its retry level, ingested long ago.
		stats.handedOff(Priority.P30, 2, now.minusSeconds(900), now);

		assertThat(registry.scrape()).contains("gateway_worker_handoff_latency_seconds_count{priority=\"P30\"} 1")
			.contains("gateway_worker_handoff_latency_seconds_bucket{priority=\"P30\",le=\"+Inf\"} 1");
		assertThat(stats.latencySinceLastCall(Priority.P30).getTotalCount()).isEqualTo(1);
	}

}
