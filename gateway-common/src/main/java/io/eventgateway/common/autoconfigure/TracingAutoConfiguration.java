package io.eventgateway.common.autoconfigure;

import io.eventgateway.common.trace.EventTracing;
import io.eventgateway.common.trace.MicrometerEventTracing;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link EventTracing} every role stamps and follows events with: Micrometer
 * Tracing's tracer and propagator when {@code gateway.tracing.enabled} is set, else
 * {@link EventTracing#OFF}. Boot's own tracing settings follow the same switch
 * ({@code gateway-defaults.yml}).
 */
@AutoConfiguration(
		beforeName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@EnableConfigurationProperties(GatewayTracingProperties.class)
public class TracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventTracing eventTracing(GatewayTracingProperties properties, ObjectProvider<Tracer> tracer,
			ObjectProvider<Propagator> propagator) {
		if (!properties.enabled()) {
			return EventTracing.OFF;
		}
		Tracer activeTracer = tracer.getIfAvailable();
		Propagator activePropagator = propagator.getIfAvailable();
		if (activeTracer == null || activePropagator == null || activeTracer == Tracer.NOOP) {
			throw new IllegalStateException("gateway.tracing.enabled is true but no tracer is configured: "
					+ "management.tracing.export.enabled must stay true and an OpenTelemetry tracer must be present");
		}
		return new MicrometerEventTracing(activeTracer, activePropagator);
	}

	/**
	 * With tracing off, the request observations (HTTP, gRPC, security) that still run
	 * for their meters make no recording spans either. Roles only: a team's application
	 * keeps its own sampler.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Sampler.class)
	@ConditionalOnBooleanProperty(name = "gateway.tracing.enabled", havingValue = false, matchIfMissing = true)
	@Conditional(OnGatewayRoleCondition.class)
	static class TracingOffConfiguration {

		@Bean
		@ConditionalOnMissingBean
		Sampler otelSampler() {
			return Sampler.alwaysOff();
		}

	}

}
