package io.eventgateway.worker.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the worker role.
 *
 * @param workerId identifies this worker in orchestrator logs; the host name when empty
 * @param concurrency how many fetch loops run in parallel
 * @param maxTasksPerBatch the most tasks one FetchTasks call asks for
 * @param maxWait how long a FetchTasks call waits for tasks when there are none
 * @param maxBatches stop fetching after this many non-empty batches; 0 for never (useful
 * with {@code execute=false} to peek at live traffic)
 * @param execute false for a dry run: fetch and log, never process or answer (the leases
 * expire and the events are served again)
 */
@Validated
@ConfigurationProperties("gateway.worker")
public record WorkerProperties(@DefaultValue("") String workerId, @DefaultValue("1") @Min(1) @Max(256) int concurrency,
		@DefaultValue("100") @Min(1) @Max(100_000) int maxTasksPerBatch, @DefaultValue("1s") Duration maxWait,
		@DefaultValue("0") @Min(0) long maxBatches, @DefaultValue("true") boolean execute) {

	public WorkerProperties {
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("gateway.worker.max-wait must not be negative, was " + maxWait);
		}
	}

}
