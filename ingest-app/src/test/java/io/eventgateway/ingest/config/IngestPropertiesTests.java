package io.eventgateway.ingest.config;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IngestPropertiesTests {

	@Test
	void theDefaultResponseTimeoutOutlastsTheLongestHandOffAndPublish() {
		IngestProperties properties = bind(Map.of());

		assertThat(properties.http().responseTimeout()).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void aResponseTimeoutTheHandOffAndPublishCouldOutlastIsRefusedNamingTheSettings() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("gateway.ingest.http.response-timeout", "60s",
					"gateway.ingest.scheduler.max-delay", "30s", "gateway.ingest.publisher.timeout", "30s")))
			.havingRootCause()
			.withMessageContainingAll("gateway.ingest.http.response-timeout", "gateway.ingest.scheduler.max-delay",
					"gateway.ingest.publisher.timeout");
	}

	@Test
	void aShorterHandOffMakesRoomForAShorterResponseTimeout() {
		IngestProperties properties = bind(Map.of("gateway.ingest.http.response-timeout", "10s",
				"gateway.ingest.scheduler.max-delay", "0s", "gateway.ingest.publisher.timeout", "5s"));

		assertThat(properties.http().responseTimeout()).isEqualTo(Duration.ofSeconds(10));
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
