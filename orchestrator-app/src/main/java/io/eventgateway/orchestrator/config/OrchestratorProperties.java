package io.eventgateway.orchestrator.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the orchestrator role.
 *
 * @param replicaIndex this replica's index (the StatefulSet ordinal); it owns this
 * partition of the responses topic
 * @param numberOfReplicas how many orchestrator replicas run; must equal the
 * StatefulSet's replicas
 * @param consumerGroup the consumer group of the source topics; the responses consumer
 * uses this name plus "-responses"
 * @param lease how long workers hold tasks
 * @param fetch limits on one FetchTasks call
 * @param kafka how the source topics are read
 */
@Validated
@ConfigurationProperties("gateway.orchestrator")
public record OrchestratorProperties(@DefaultValue("0") @Min(0) int replicaIndex,
		@DefaultValue("1") @Min(1) int numberOfReplicas,
		@DefaultValue("event-gateway-orchestrator") @NotBlank String consumerGroup, @DefaultValue @Valid Lease lease,
		@DefaultValue @Valid Fetch fetch, @DefaultValue @Valid Kafka kafka) {

	public OrchestratorProperties {
		if (replicaIndex >= numberOfReplicas) {
			throw new IllegalArgumentException("gateway.orchestrator.replica-index " + replicaIndex + " is outside [0, "
					+ numberOfReplicas + "): it must be below gateway.orchestrator.number-of-replicas");
		}
	}

	/**
	 * Lease settings.
	 *
	 * @param timeout how long a worker holds leased tasks before they return to the
	 * buffer
	 * @param sweepInterval how often expired leases are looked for
	 */
	public record Lease(@DefaultValue("30s") Duration timeout, @DefaultValue("200ms") Duration sweepInterval) {

		public Lease {
			requirePositive("gateway.orchestrator.lease.timeout", timeout);
			requirePositive("gateway.orchestrator.lease.sweep-interval", sweepInterval);
		}

	}

	/**
	 * Limits on one FetchTasks call.
	 *
	 * @param maxTasks the most tasks one lease holds, whatever the worker asks for
	 * @param maxWait the longest a call waits for tasks when the buffer is empty
	 */
	public record Fetch(@DefaultValue("1000") @Min(1) @Max(100_000) int maxTasks,
			@DefaultValue("1s") Duration maxWait) {

		public Fetch {
			if (maxWait.isNegative()) {
				throw new IllegalArgumentException("gateway.orchestrator.fetch.max-wait must not be negative");
			}
		}

	}

	/**
	 * How the source topics are read.
	 *
	 * @param maxRecords the most records one poll returns, per source
	 * @param pollTimeout how long one poll waits; also the longest a finished offset
	 * waits to be committed when nothing new arrives
	 */
	public record Kafka(@DefaultValue @Valid MaxRecords maxRecords, @DefaultValue("100ms") Duration pollTimeout) {

		public Kafka {
			requirePositive("gateway.orchestrator.kafka.poll-timeout", pollTimeout);
		}

	}

	/**
	 * The most records one poll returns, per priority topic.
	 *
	 * @param p30 for the P30 topic
	 * @param p20 for the P20 topic
	 * @param p10 for the P10 topic
	 */
	public record MaxRecords(@DefaultValue("500") @Min(1) int p30, @DefaultValue("500") @Min(1) int p20,
			@DefaultValue("500") @Min(1) int p10) {
	}

	private static void requirePositive(String key, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(key + " must be positive, was " + value);
		}
	}

}
