package io.eventgateway.publisher.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rollout levers, {@code gateway.publisher.rollout}, changeable at runtime with
 * {@code /actuator/refresh}: companies whose CRC32 bucket is below the percentage publish
 * to the rollout cluster.
 *
 * @param percentage share of company buckets routed to the rollout cluster, 0 to 100
 * @param bootstrapServers the rollout cluster; empty for none (every event then goes to
 * the primary, whatever the percentage)
 */
public record RolloutSettings(@DefaultValue("0") @Min(0) @Max(100) int percentage,
		@DefaultValue("") String bootstrapServers) {

	/** The prefix these settings bind under. */
	public static final String PREFIX = "gateway.publisher.rollout";

}
