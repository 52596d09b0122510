package io.eventgateway.common.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Meter settings shared by every role.
 *
 * @param pod the {@code pod} tag of every meter; when unset, the environment variable
 * {@code POD_NAME}, else {@code HOSTNAME}, else the local host name
 */
@ConfigurationProperties("gateway.metrics")
public record GatewayMetricsProperties(@Nullable String pod) {

}
