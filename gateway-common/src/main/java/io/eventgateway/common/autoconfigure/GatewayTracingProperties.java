package io.eventgateway.common.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tracing settings shared by every role. Read at start; a change needs a restart.
 *
 * @param enabled whether each event's path through ingest, publisher, Kafka, orchestrator
 * and worker is traced and exported over OTLP (to
 * {@code management.opentelemetry.tracing.export.otlp.endpoint}); off by default, when
 * events carry no trace and no spans are made
 */
@ConfigurationProperties("gateway.tracing")
public record GatewayTracingProperties(boolean enabled) {

}
