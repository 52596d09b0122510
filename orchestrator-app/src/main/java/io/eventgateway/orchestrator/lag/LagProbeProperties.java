package io.eventgateway.orchestrator.lag;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the source lag probe, which reports per partition of every source (and this
 * replica's responses partition) how far the consumer group's commits trail the log and
 * how old the oldest unfinished record is, whether or not the source loop runs.
 *
 * @param enabled whether the probe runs at all; fixed at start
 * @param interval the time between two probe rounds; each round costs one offsets request
 * and one committed-offsets request to the cluster, plus a read of one record per lagging
 * partition whose committed offset moved. Fixed at start
 */
@Validated
@ConfigurationProperties("gateway.orchestrator.lag")
public record LagProbeProperties(@DefaultValue("true") boolean enabled, @DefaultValue("15s") Duration interval) {

	public LagProbeProperties {
		if (interval.isZero() || interval.isNegative()) {
			throw new IllegalArgumentException("gateway.orchestrator.lag.interval must be positive, was " + interval);
		}
	}

}
