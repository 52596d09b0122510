package io.eventgateway.publisher.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.validation.Valid;

import io.eventgateway.common.event.Priority;
import io.eventgateway.publisher.produce.ProducerSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the publisher role fixed at startup (the producers). The rollout
 * percentage, which changes at runtime, is {@link RolloutSettings}.
 *
 * @param producers batching per priority
 * @param rolloutCluster the cluster traffic is being moved to
 */
@Validated
@ConfigurationProperties("gateway.publisher")
public record PublisherProperties(@DefaultValue @Valid Producers producers,
		@DefaultValue @Valid RolloutCluster rolloutCluster) {

	/**
	 * Batching per priority.
	 *
	 * @param p30 real-time: send at once
	 * @param p20 interactive: short linger
	 * @param p10 bulk: larger compressed batches
	 */
	public record Producers(@DefaultValue @Valid P30 p30, @DefaultValue @Valid P20 p20, @DefaultValue @Valid P10 p10) {

		/** The settings of each priority. */
		public Map<Priority, ProducerSettings> byPriority() {
			Map<Priority, ProducerSettings> settings = new EnumMap<>(Priority.class);
			settings.put(Priority.P30, this.p30.settings());
			settings.put(Priority.P20, this.p20.settings());
			settings.put(Priority.P10, this.p10.settings());
			return settings;
		}

	}

	/**
	 * P30 batching.
	 *
	 * @param linger how long the producer waits to fill a batch
	 * @param batchSize the largest batch per partition
	 * @param compression none, gzip, snappy, lz4 or zstd
	 */
	public record P30(@DefaultValue("0ms") Duration linger, @DefaultValue("16KB") DataSize batchSize,
			@DefaultValue("none") String compression) {

		ProducerSettings settings() {
			return new ProducerSettings(this.linger, this.batchSize, this.compression);
		}

	}

	/**
	 * P20 batching.
	 *
	 * @param linger how long the producer waits to fill a batch
	 * @param batchSize the largest batch per partition
	 * @param compression none, gzip, snappy, lz4 or zstd
	 */
	public record P20(@DefaultValue("5ms") Duration linger, @DefaultValue("64KB") DataSize batchSize,
			@DefaultValue("lz4") String compression) {

		ProducerSettings settings() {
			return new ProducerSettings(this.linger, this.batchSize, this.compression);
		}

	}

	/**
	 * P10 batching.
	 *
	 * @param linger how long the producer waits to fill a batch
	 * @param batchSize the largest batch per partition
	 * @param compression none, gzip, snappy, lz4 or zstd
	 */
	public record P10(@DefaultValue("20ms") Duration linger, @DefaultValue("256KB") DataSize batchSize,
			@DefaultValue("zstd") String compression) {

		ProducerSettings settings() {
			return new ProducerSettings(this.linger, this.batchSize, this.compression);
		}

	}

	/**
	 * The rollout cluster.
	 *
	 * @param bootstrapServers its bootstrap address; empty when no rollout is under way
	 * (every event then goes to the primary cluster, whatever the percentage)
	 */
	public record RolloutCluster(@DefaultValue("") String bootstrapServers) {

		/** Whether a rollout cluster is configured. */
		public boolean isConfigured() {
			return !this.bootstrapServers.isBlank();
		}

	}

}
