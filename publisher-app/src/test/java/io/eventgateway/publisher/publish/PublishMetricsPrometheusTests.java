package io.eventgateway.publisher.publish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.publisher.failure.DirectorySpool;
import io.eventgateway.publisher.failure.FailureCapture;
import io.eventgateway.publisher.route.RolloutRouter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's meters as Prometheus scrapes them: publish latency as cumulative
 * buckets under the {@code le} strings the chart's rules use, and the loss counter
 * present before anything was lost.
 */
class PublishMetricsPrometheusTests {

	@TempDir
	Path spoolDirectory;

	@Test
	void publishLatencyIsABucketedHistogramAndLossesAreCountedFromZero() throws Exception {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		FailureCapture failures = new FailureCapture(null, "events.failed-writes",
				new DirectorySpool(this.spoolDirectory), Runnable::run, Runnable::run, Duration.ofMinutes(1));
		PublishMetrics metrics = new PublishMetrics(registry, new RolloutRouter(() -> 0), failures);

		metrics.accepted(Priority.P30, RolloutRouter.Cluster.PRIMARY, TimeUnit.MILLISECONDS.toNanos(3));
		String scrape = registry.scrape();

		String p30 = "gateway_publisher_publish_latency_seconds_bucket\\{cluster=\"primary\",priority=\"P30\",";
		assertThat(scrape).containsPattern(p30 + "le=\"0.001\"} 0")
			.containsPattern(p30 + "le=\"0.005\"} 1")
			.containsPattern(p30 + "le=\"0.025\"} 1")
			.containsPattern(p30 + "le=\"1.0\"} 1")
			.containsPattern(p30 + "le=\"10.0\"} 1")
			.containsPattern(p30 + "le=\"\\+Inf\"} 1")
			.contains("gateway_publisher_lost_total 0.0")
			.doesNotContain("quantile");
	}

}
