package io.eventgateway.common.trace;

import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.TracingAutoConfiguration;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The switch, and a trace parent carried from one span to a span started elsewhere.
 */
class EventTracingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				TracingAutoConfiguration.class))
		.withPropertyValues("gateway.role=test-role", "management.tracing.sampling.probability=1.0");

	@Test
	void offByDefaultAddingNothingToEvents() {
		this.runner.run((context) -> {
			EventTracing tracing = context.getBean(EventTracing.class);
			assertThat(tracing).isSameAs(EventTracing.OFF);
			// Requests still observed for their meters make no recording spans.
			assertThat(context.getBean(Sampler.class)).isEqualTo(Sampler.alwaysOff());
			assertThat(tracing.currentTraceParent()).isEmpty();
			assertThat(
					tracing.start("gateway.worker.process", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
				.isSameAs(EventSpan.NONE);
		});
	}

	@Test
	void aSpanStartedFromAnEventsTraceParentIsAChildInTheSameTrace() {
		this.runner.withPropertyValues("gateway.tracing.enabled=true").run((context) -> {
			assertThat(context.getBean(Sampler.class)).isNotEqualTo(Sampler.alwaysOff());
			EventTracing tracing = context.getBean(EventTracing.class);
			Tracer tracer = context.getBean(Tracer.class);
			Span request = tracer.nextSpan().name("http post").start();
			String stamped;
			try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
				stamped = tracing.currentTraceParent();
			}
			finally {
				request.end();
			}
			assertThat(stamped)
				.isEqualTo("00-" + request.context().traceId() + "-" + request.context().spanId() + "-01");

			EventSpan send = tracing.start("gateway.publisher.send", stamped);
			String header = send.traceParent();
			send.end();
			assertThat(header).startsWith("00-" + request.context().traceId() + "-")
				.doesNotContain(request.context().spanId());
		});
	}

	@Test
	void anEventWithoutTraceGetsNoSpan() {
		this.runner.withPropertyValues("gateway.tracing.enabled=true").run((context) -> {
			EventTracing tracing = context.getBean(EventTracing.class);
			assertThat(tracing.currentTraceParent()).isEmpty();
			assertThat(tracing.start("gateway.orchestrator.read", "")).isSameAs(EventSpan.NONE);
			assertThat(tracing.start("gateway.orchestrator.read", null)).isSameAs(EventSpan.NONE);
		});
	}

}
