package io.eventgateway.orchestrator.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the dead-letter tools ({@code gateway.orchestrator.dlq.*}).
 *
 * @param readTimeout how long one read of the dead-letter topic or the redrive ledger,
 * one write or one cluster request may take; a read of a large dead-letter topic needs
 * more
 */
@Validated
@ConfigurationProperties("gateway.orchestrator.dlq")
public record DlqProperties(@DefaultValue("30s") Duration readTimeout) {

	public DlqProperties {
		if (readTimeout.isNegative() || readTimeout.isZero()) {
			throw new IllegalArgumentException(
					"gateway.orchestrator.dlq.read-timeout must be positive, was " + readTimeout);
		}
	}

}
