package io.eventgateway.ingest.config;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventgateway.ingest.delay.DelayCap;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IngestPropertiesTests {

	@Test
	void theDefaultResponseTimeoutOutlastsTheSlowestPublish() {
		IngestProperties properties = bind(Map.of());

		assertThat(properties.http().responseTimeout()).isEqualTo(Duration.ofSeconds(90));
		assertThat(properties.http().responseTimeout()).isGreaterThan(properties.publisher().timeout());
	}

	@Test
	void aResponseTimeoutThePublishCouldOutlastIsRefusedNamingTheSettings() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(
					Map.of("gateway.ingest.http.response-timeout", "30s", "gateway.ingest.publisher.timeout", "30s")))
			.havingRootCause()
			.withMessageContainingAll("gateway.ingest.http.response-timeout", "gateway.ingest.publisher.timeout");
	}

	@Test
	void theResponseTimeoutNeedNotOutlastTheLongestDelay() {
		IngestProperties properties = bind(Map.of("gateway.ingest.http.response-timeout", "10s",
				"gateway.ingest.delay.max", "2h", "gateway.ingest.publisher.timeout", "5s"));

		assertThat(properties.http().responseTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.delay().max()).isEqualTo(Duration.ofHours(2));
	}

	@Test
	void delaysAreCappedAtAnHourByDefault() {
		DelayCap cap = bind(Map.of()).delay().cap(Duration.ofDays(7));

		assertThat(cap.max()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void aLongestDelayOfZeroIsRefusedNamingTheSetting() {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("gateway.ingest.delay.max", "0s")))
			.havingRootCause()
			.withMessageContaining("gateway.ingest.delay.max");
	}

	@Test
	void aLongestDelayNotShorterThanTheTopicsRetentionIsRefusedNamingBothSettings() {
		IngestProperties properties = bind(Map.of("gateway.ingest.delay.max", "7d"));

		assertThatIllegalArgumentException().isThrownBy(() -> properties.delay().cap(Duration.ofDays(7)))
			.withMessageContainingAll("gateway.ingest.delay.max", "gateway.topics.retention");
		assertThat(properties.delay().cap(Duration.ofDays(8)).max()).isEqualTo(Duration.ofDays(7));
	}

	@Test
	void eventsInFlightToThePublisherAreBoundedByDefault() {
		assertThat(bind(Map.of()).publisher().maxInFlightEvents()).isEqualTo(100_000);
	}

	@Test
	void aBoundOnEventsInFlightBelowAFullBatchIsRefusedNamingTheSettings() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("gateway.ingest.publisher.max-in-flight-events", "500",
					"gateway.ingest.limits.max-events", "1000")))
			.havingRootCause()
			.withMessageContainingAll("gateway.ingest.publisher.max-in-flight-events",
					"gateway.ingest.limits.max-events");
	}

	private static IngestProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("gateway.ingest",
				IngestProperties.class);
	}

}
