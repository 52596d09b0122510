package io.eventgateway.bench;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.eventgateway.proto.v1.IngestServiceGrpc;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTimingsTests {

	@Test
	void ingestCallsAreIngestEventsTimersOfEveryStatusNotWhicheverServerTimerComesFirst() {
		MeterRegistry registry = new SimpleMeterRegistry();
		timer(registry, "grpc.health.v1.Health", "Check", "OK", Duration.ofSeconds(5));
		timer(registry, IngestServiceGrpc.SERVICE_NAME, "IngestEvents", "OK", Duration.ofMillis(10));
		timer(registry, IngestServiceGrpc.SERVICE_NAME, "IngestEvents", "UNAVAILABLE", Duration.ofMillis(30));

		long[] totals = ServerTimings.totals(ServerTimings.ingestEventsTimers(registry));

		assertThat(totals[0]).isEqualTo(2);
		assertThat(totals[1]).isEqualTo(Duration.ofMillis(40).toNanos());
	}

	private static void timer(MeterRegistry registry, String service, String method, String status, Duration time) {
		Timer.builder(ServerTimings.GRPC_SERVER_TIMER)
			.tag("service", service)
			.tag("method", method)
			.tag("statusCode", status)
			.register(registry)
			.record(time);
	}

}
