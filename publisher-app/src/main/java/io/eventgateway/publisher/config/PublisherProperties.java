package io.eventgateway.publisher.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import io.eventgateway.common.environment.Stage;

import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.publish.EventCheck;
import io.eventgateway.publisher.produce.ProducerSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the publisher role fixed at startup. The rollout levers, which change at
 * runtime, are {@link RolloutSettings}.
 *
 * @param producers batching per priority
 * @param fallbackCluster where events the primary refuses go first
 * @param spool where events go when the fallback cluster refuses them too
 * @param failureChain the threads and queues of the failure chain
 * @param failedWritesProcessor the role that moves failed writes back to the primary
 * @param eventLimits the bounds every event handed to the publisher must keep, whoever
 * sends it
 */
@Validated
@ConfigurationProperties("gateway.publisher")
public record PublisherProperties(@DefaultValue @Valid Producers producers,
		@DefaultValue @Valid FallbackCluster fallbackCluster, @DefaultValue @Valid Spool spool,
		@DefaultValue @Valid FailureChain failureChain,
		@DefaultValue @Valid FailedWritesProcessor failedWritesProcessor,
		@DefaultValue @Valid EventLimits eventLimits) {

	/**
	 * Batching per priority.
	 *
	 * @param p30 real-time: send at once
	 * @param p20 interactive: short linger
	 * @param p10 bulk: larger compressed batches
	 * @param offload offloaded P10: the largest batches
	 * @param completionThreads the threads that complete sends (meters, the hand-off to
	 * the failure chain, the gRPC answers), so that a producer's network thread only
	 * moves batches; at least 1
	 * @param completionQueue the most completions waiting for those threads; at least 1.
	 * A producer frees its buffer memory on acknowledgement, before the completion runs,
	 * so this bound is what keeps completions under backpressure: when it is full, the
	 * producer's network thread runs the completion itself and sends nothing meanwhile
	 */
	public record Producers(@DefaultValue @Valid P30 p30, @DefaultValue @Valid P20 p20, @DefaultValue @Valid P10 p10,
			@DefaultValue @Valid Offload offload, @DefaultValue("2") int completionThreads,
			@DefaultValue("100000") int completionQueue) {

		public Producers {
			if (completionThreads < 1) {
				throw new IllegalArgumentException(
						"gateway.publisher.producers.completion-threads must be at least 1, was " + completionThreads);
			}
			if (completionQueue < 1) {
				throw new IllegalArgumentException(
						"gateway.publisher.producers.completion-queue must be at least 1, was " + completionQueue);
			}
		}

		/** The settings of each lane. */
		public Map<Lane, ProducerSettings> byLane() {
			Map<Lane, ProducerSettings> settings = new EnumMap<>(Lane.class);
			settings.put(Lane.P30, this.p30.settings());
			settings.put(Lane.P20, this.p20.settings());
			settings.put(Lane.P10, this.p10.settings());
			settings.put(Lane.OFFLOAD, this.offload.settings());
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
	 * Offload batching.
	 *
	 * @param linger how long the producer waits to fill a batch
	 * @param batchSize the largest batch per partition
	 * @param compression none, gzip, snappy, lz4 or zstd
	 */
	public record Offload(@DefaultValue("50ms") Duration linger, @DefaultValue("256KB") DataSize batchSize,
			@DefaultValue("zstd") String compression) {

		ProducerSettings settings() {
			return new ProducerSettings(this.linger, this.batchSize, this.compression);
		}

	}

	/**
	 * The fallback cluster.
	 *
	 * @param bootstrapServers its bootstrap address; empty for none (refused events then
	 * go straight to the spool)
	 */
	public record FallbackCluster(@DefaultValue("") String bootstrapServers) {

		/** Whether a fallback cluster is configured. */
		public boolean isConfigured() {
			return !this.bootstrapServers.isBlank();
		}

	}

	/**
	 * The failure chain's threads and queues. Fallback sends and spool writes have
	 * threads of their own, so that a fallback send blocked on unknown metadata never
	 * holds up a spool write.
	 *
	 * @param fallbackThreads the threads that start sends to the fallback cluster; at
	 * least 1
	 * @param spoolThreads the threads that write to the spool; at least 1
	 * @param queueCapacity the most events waiting for each of the two; at least 1. An
	 * event the fallback's queue cannot take goes straight to the spool's; one the
	 * spool's queue cannot take either is answered REJECTED
	 * @param fallbackMaxWait how long an event may wait in the fallback's queue; one that
	 * waited longer goes to the spool instead of waiting for a send that may block; not
	 * negative
	 */
	public record FailureChain(@DefaultValue("2") int fallbackThreads, @DefaultValue("2") int spoolThreads,
			@DefaultValue("10000") int queueCapacity, @DefaultValue("1s") Duration fallbackMaxWait) {

		public FailureChain {
			requireAtLeastOne("fallback-threads", fallbackThreads);
			requireAtLeastOne("spool-threads", spoolThreads);
			requireAtLeastOne("queue-capacity", queueCapacity);
			if (fallbackMaxWait.isNegative()) {
				throw new IllegalArgumentException(
						"gateway.publisher.failure-chain.fallback-max-wait must not be negative, was "
								+ fallbackMaxWait);
			}
		}

		private static void requireAtLeastOne(String name, int value) {
			if (value < 1) {
				throw new IllegalArgumentException(
						"gateway.publisher.failure-chain." + name + " must be at least 1, was " + value);
			}
		}

	}

	/**
	 * The spool of last resort.
	 *
	 * @param type {@code directory} (the default) or {@code s3}
	 * @param directory for {@code directory}: where spooled events are written (a
	 * persistent volume in production)
	 * @param s3 for {@code s3}: the bucket and how to reach it
	 * @param replayInterval how often spooled events are replayed into the primary
	 * cluster; zero leaves it to the {@code republish} command and to the drain at stop
	 * @param persistent whether the deployment declares the directory to be on storage
	 * that outlives the instance (a persistent volume); a prod instance refuses a
	 * directory spool that is not, since a scale-down would delete accepted events. An S3
	 * spool is persistent whatever this says.
	 * @param shared whether several instances see the same spool (one S3 prefix, or a
	 * volume mounted by every instance); then only the instance holding the replay lock
	 * replays it. Unset means true for {@code s3} (every instance uses the same prefix by
	 * default) and false for {@code directory} (one volume per instance).
	 * @param drainOnStop how long a stopping instance keeps replaying its spool, after
	 * its gRPC server stopped taking requests; zero skips the drain
	 */
	public record Spool(@DefaultValue("directory") SpoolType type, @DefaultValue("spool") String directory,
			@DefaultValue @Valid S3 s3, @DefaultValue("30s") Duration replayInterval,
			@DefaultValue("false") boolean persistent, @Nullable Boolean shared,
			@DefaultValue("20s") Duration drainOnStop) {

		public Spool {
			if (replayInterval.isNegative()) {
				throw new IllegalArgumentException(
						"gateway.publisher.spool.replay-interval must not be negative, was " + replayInterval);
			}
			if (drainOnStop.isNegative()) {
				throw new IllegalArgumentException(
						"gateway.publisher.spool.drain-on-stop must not be negative, was " + drainOnStop);
			}
			if (type == SpoolType.S3 && s3.bucket().isBlank()) {
				throw new IllegalArgumentException(
						"gateway.publisher.spool.s3.bucket is required when gateway.publisher.spool.type is s3");
			}
		}

		/** Whether several instances replay this spool, so that they need the lock. */
		public boolean isShared() {
			return (this.shared != null) ? this.shared : this.type == SpoolType.S3;
		}

		/** Whether the spool outlives the instance: S3, or a directory declared so. */
		public boolean isPersistent() {
			return this.type == SpoolType.S3 || this.persistent;
		}

		/**
		 * Refuses a spool the stage must not run with: in prod, a directory spool not
		 * declared persistent, since an ephemeral volume takes accepted events with it
		 * when the pod goes.
		 * @param stage where this instance runs
		 * @throws IllegalStateException naming the settings, when refused
		 */
		public void checkFor(Stage stage) {
			if (stage == Stage.PROD && !isPersistent()) {
				throw new IllegalStateException("gateway.environment=prod refuses a directory spool that is not"
						+ " declared persistent: put gateway.publisher.spool.directory on a persistent volume and set"
						+ " gateway.publisher.spool.persistent=true, or use gateway.publisher.spool.type=s3");
			}
		}

	}

	/** Where the spool keeps events. */
	public enum SpoolType {

		/** A local directory. */
		DIRECTORY,

		/** An S3 bucket (or any S3-compatible store). */
		S3

	}

	/**
	 * The S3 spool. Credentials come from the AWS SDK's default chain (environment,
	 * profile, web identity, instance role), never from these settings.
	 *
	 * @param bucket the bucket, which must exist
	 * @param prefix the key prefix of spooled events
	 * @param region the bucket's region
	 * @param endpoint an S3-compatible endpoint (path-style access); empty for AWS S3
	 */
	public record S3(@DefaultValue("") String bucket, @DefaultValue("event-gateway/spool/") String prefix,
			@DefaultValue("us-east-1") String region, @DefaultValue("") String endpoint) {
	}

	/**
	 * The failed-writes processor: a role of this application that moves events from the
	 * failed-writes topic back to the primary cluster.
	 *
	 * @param enabled whether this instance runs it
	 * @param maxAttempts republish attempts per batch before the failures are spooled
	 * @param initialBackoff the wait after the first failed attempt, doubled each time
	 * @param maxBackoff the longest wait between attempts
	 * @param writeTimeout how long one write to the primary may take
	 */
	public record FailedWritesProcessor(@DefaultValue("false") boolean enabled,
			@DefaultValue("10") @Min(1) int maxAttempts, @DefaultValue("500ms") Duration initialBackoff,
			@DefaultValue("30s") Duration maxBackoff, @DefaultValue("30s") Duration writeTimeout) {
	}

	/**
	 * The bounds every event handed to the publisher must keep; an event outside them is
	 * rejected with INVALID_ARGUMENT naming the field, the other events of its call are
	 * still published.
	 *
	 * @param maxPayloadBytes the largest raw_payload; at least ingest's
	 * {@code gateway.ingest.limits.max-event-bytes}
	 * @param maxAttempt the highest attempt number
	 * @param maxClockSkew how far ahead of the publisher's clock ingested_at may be
	 * @param maxAge how far behind the publisher's clock ingested_at may be; above
	 * ingest's publish timeout
	 * @param maxSlo how long after ingested_at (after not_before, for a delayed event)
	 * slo_deadline may be; above the longest SLO (P10's 20 minutes). A delayed event's
	 * not_before may be at most {@code gateway.topics.retention} after ingested_at.
	 */
	public record EventLimits(@DefaultValue("1MB") DataSize maxPayloadBytes,
			@DefaultValue("100") @Min(0) int maxAttempt, @DefaultValue("1m") Duration maxClockSkew,
			@DefaultValue("1h") Duration maxAge, @DefaultValue("1h") Duration maxSlo) {

		public EventLimits {
			if (maxPayloadBytes.toBytes() < 1 || maxPayloadBytes.toBytes() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException(
						"gateway.publisher.event-limits.max-payload-bytes must be between 1B and 2GB, was "
								+ maxPayloadBytes);
			}
			requirePositive("max-clock-skew", maxClockSkew);
			requirePositive("max-age", maxAge);
			requirePositive("max-slo", maxSlo);
		}

		private static void requirePositive(String name, Duration value) {
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(
						"gateway.publisher.event-limits." + name + " must be positive, was " + value);
			}
		}

		/**
		 * These bounds, as the check takes them.
		 * @param retention the topics' retention ({@code gateway.topics.retention}),
		 * which bounds not_before
		 */
		public EventCheck.Limits toLimits(Duration retention) {
			return new EventCheck.Limits((int) this.maxPayloadBytes.toBytes(), this.maxAttempt, this.maxClockSkew,
					this.maxAge, this.maxSlo, retention);
		}

	}

}
