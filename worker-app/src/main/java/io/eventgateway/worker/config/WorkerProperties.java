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
 * @param execute false for a dry run: fetch and log, never process; every task is
 * answered RELEASE, so its event goes back to the gateway at once with nothing counted
 * against it
 * @param maxProcessingTime the longest the worker keeps renewing the lease of one batch;
 * after it a hung processor's events go back to the gateway when the lease expires
 */
@Validated
@ConfigurationProperties("gateway.worker")
public record WorkerProperties(@DefaultValue("") String workerId, @DefaultValue("1") @Min(1) @Max(256) int concurrency,
		@DefaultValue("100") @Min(1) @Max(100_000) int maxTasksPerBatch, @DefaultValue("1s") Duration maxWait,
		@DefaultValue("0") @Min(0) long maxBatches, @DefaultValue("true") boolean execute,
		@DefaultValue("10m") Duration maxProcessingTime) {

	public WorkerProperties {
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("gateway.worker.max-wait must not be negative, was " + maxWait);
		}
		if (maxProcessingTime.isNegative() || maxProcessingTime.isZero()) {
			throw new IllegalArgumentException(
					"gateway.worker.max-processing-time must be positive, was " + maxProcessingTime);
		}
	}

}
