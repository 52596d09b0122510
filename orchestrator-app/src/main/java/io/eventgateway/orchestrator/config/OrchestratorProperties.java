package io.eventgateway.orchestrator.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.jspecify.annotations.Nullable;

import io.eventgateway.orchestrator.memory.MemoryBudget;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the orchestrator role.
 *
 * @param replicaIndex this replica's index; it owns this partition of the responses
 * topic. When unset (the default), the StatefulSet ordinal at the end of the pod name
 * ({@code events-orchestrator-3} is 3) from {@code POD_NAME}, else {@code HOSTNAME}; a
 * lone replica without one is 0, several refuse to start
 * @param numberOfReplicas how many orchestrator replicas run; must equal the
 * StatefulSet's replicas, and the responses topic needs at least as many partitions
 * @param consumerGroup the consumer group of the source topics; the responses consumer
 * uses this name plus "-responses"
 * @param lease how long workers hold tasks
 * @param fetch limits on one FetchTasks call
 * @param kafka how the sources are read
 * @param memoryThresholdPercent per source, the share of the maximum heap above which it
 * pauses; together with the consumers' fetch buffers they must fit 90% of the heap
 * @param memoryHysteresisPercent a paused source resumes once below its threshold minus
 * this many percentage points; must be below every {@code memory-threshold-percent}, or a
 * source would resume only below zero, that is never
 * @param retry delays of the retry levels
 * @param enableRetryConsumer whether the retry topics are read at all
 * @param enableExplicitRetryPartitionManagement read retry partitions {@code p} with
 * {@code p % number-of-replicas == replica-index} by explicit assignment instead of
 * through the consumer group
 * @param offload when the offload topic is read
 * @param flowControl the AIMD signals sent to ingest
 * @param fleet the fleet this orchestrator belongs to: the orchestrators and workers of
 * one Kafka cluster (for example {@code primary} and {@code rollout})
 * @param activeFleets the fleets that take work (hot); empty means every fleet. An
 * orchestrator whose fleet is not listed stops reading its sources and leaves their
 * consumer groups, so that an active fleet on the same cluster takes the partitions; it
 * still settles the leases it handed out, and stands by until listed again
 * @param fenceAfter how long without contact with the Kafka cluster before this
 * orchestrator fences itself: it stops leasing tasks it could no longer settle, drops its
 * unleased ones and leaves its sources, and turns readiness DOWN; below the consumers'
 * session timeout (45s), so it stops before the group gives its partitions to another
 * replica
 */
@Validated
@ConfigurationProperties("gateway.orchestrator")
public record OrchestratorProperties(@Min(0) Integer replicaIndex, @DefaultValue("1") @Min(1) int numberOfReplicas,
		@DefaultValue("event-gateway-orchestrator") @NotBlank String consumerGroup, @DefaultValue @Valid Lease lease,
		@DefaultValue @Valid Fetch fetch, @DefaultValue @Valid Kafka kafka,
		@DefaultValue @Valid MemoryThresholds memoryThresholdPercent,
		@DefaultValue("5") @DecimalMin("0") @DecimalMax("100") double memoryHysteresisPercent,
		@DefaultValue @Valid Retry retry, @DefaultValue("true") boolean enableRetryConsumer,
		@DefaultValue("false") boolean enableExplicitRetryPartitionManagement, @DefaultValue @Valid Offload offload,
		@DefaultValue @Valid FlowControl flowControl, @DefaultValue("primary") @NotBlank String fleet,
		@DefaultValue List<String> activeFleets, @DefaultValue("30s") Duration fenceAfter) {

	/** The shortest {@code fence-after}: three probes of a second each. */
	static final Duration MIN_FENCE_AFTER = Duration.ofSeconds(3);

	/** Kafka's default consumer session timeout, which the sources keep. */
	static final Duration MAX_FENCE_AFTER = Duration.ofSeconds(45);

	/**
	 * The longest commit interval: beyond it a crash would redeliver more than a
	 * consumer's session of finished work.
	 */
	static final Duration MAX_COMMIT_INTERVAL = Duration.ofMinutes(1);

	/**
	 * The longest a source's fetch may wait: far below the consumer's request timeout (30
	 * s), and as long as P30's SLO.
	 */
	static final Duration MAX_FETCH_WAIT = Duration.ofSeconds(5);

	public OrchestratorProperties {
		if (memoryThresholdPercent != null) {
			memoryThresholdPercent.requireAbove(memoryHysteresisPercent);
		}
		requirePositive("gateway.orchestrator.fence-after", fenceAfter);
		// Shorter, a probe or two delayed by a busy machine would fence a healthy
		// replica;
		// at or above the consumers' session timeout (45s), the group may give its
		// partitions away while it still leases their tasks.
		if (fenceAfter.compareTo(MIN_FENCE_AFTER) < 0 || fenceAfter.compareTo(MAX_FENCE_AFTER) >= 0) {
			throw new IllegalArgumentException("gateway.orchestrator.fence-after must be at least " + MIN_FENCE_AFTER
					+ " and below the consumers' session timeout " + MAX_FENCE_AFTER + ", was " + fenceAfter);
		}
	}

	/** Whether this orchestrator's fleet takes work now. */
	public boolean isFleetActive() {
		return this.activeFleets.isEmpty() || this.activeFleets.contains(this.fleet);
	}

	/**
	 * Lease settings.
	 *
	 * @param timeout how long a worker holds leased tasks before they return to the
	 * buffer
	 * @param sweepInterval how often expired leases are looked for
	 * @param maxExpiries a task whose leases expire more often than this is treated as
	 * poison and moved to the retry path
	 * @param maxExtension the longest one RenewLease call extends a lease
	 */
	public record Lease(@DefaultValue("30s") Duration timeout, @DefaultValue("200ms") Duration sweepInterval,
			@DefaultValue("3") @Min(0) int maxExpiries, @DefaultValue("5m") Duration maxExtension) {

		public Lease {
			requirePositive("gateway.orchestrator.lease.timeout", timeout);
			requirePositive("gateway.orchestrator.lease.sweep-interval", sweepInterval);
			requirePositive("gateway.orchestrator.lease.max-extension", maxExtension);
		}

	}

	/**
	 * Limits on one FetchTasks call.
	 *
	 * @param maxTasks the most tasks one lease holds, whatever the worker asks for
	 * @param maxBytes the most bytes of events one lease holds (serialized events plus a
	 * small framing estimate per task); a lease holds at least one task even when that
	 * one is larger. Must stay below the workers' inbound message limit
	 * ({@code spring.grpc.client.channels.orchestrator.max-inbound-message-size}, 16MB by
	 * default), or a worker cannot receive its lease and the tasks expire again and
	 * again; at most {@value #MAX_BYTES_CEILING_MB}MB
	 * @param maxWait the longest a call waits for tasks when the buffer is empty
	 */
	public record Fetch(@DefaultValue("1000") @Min(1) @Max(100_000) int maxTasks,
			@DefaultValue("8MB") DataSize maxBytes, @DefaultValue("1s") Duration maxWait) {

		/**
		 * The highest {@code max-bytes}: the workers' default 16MB inbound limit minus
		 * room for the answer's own fields and the estimate's error.
		 */
		static final int MAX_BYTES_CEILING_MB = 15;

		public Fetch {
			if (maxWait.isNegative()) {
				throw new IllegalArgumentException("gateway.orchestrator.fetch.max-wait must not be negative");
			}
			if (maxBytes.toBytes() < 1 || maxBytes.compareTo(DataSize.ofMegabytes(MAX_BYTES_CEILING_MB)) > 0) {
				throw new IllegalArgumentException(
						"gateway.orchestrator.fetch.max-bytes must be between 1B and " + MAX_BYTES_CEILING_MB
								+ "MB (below the workers' 16MB inbound gRPC message limit), was " + maxBytes);
			}
		}

	}

	/**
	 * How the sources are read.
	 *
	 * @param maxRecords the most records one poll hands to the buffer, per source (hot,
	 * up to {@code maxRecordsCeiling})
	 * @param maxRecordsCeiling the consumers' {@code max.poll.records}, fixed at start:
	 * the highest {@code maxRecords} a refresh may set. While {@code maxRecords} is below
	 * it, records a poll returned beyond the limit wait in memory for the next iterations
	 * (their partitions paused meanwhile), never fetched twice
	 * @param pollTimeout how long one poll waits
	 * @param commitInterval the least time between two commits of a source's finished
	 * offsets, fixed at start (zero: after every poll); a partition revoked or handed
	 * back, and every partition at shutdown, is committed at once. A crash redelivers
	 * what was finished within the last interval
	 * @param fetchMaxBytes each source consumer's {@code fetch.max.bytes}, fixed at
	 * start: what one fetch may bring, and so how far a poll may overshoot its source's
	 * memory threshold. Kafka's own default (50MB for each of five consumers) would dwarf
	 * the thresholds of a modest heap; counted in the memory budget
	 * @param maxPartitionFetchBytes each source consumer's
	 * {@code max.partition.fetch.bytes}, fixed at start; at most {@code fetchMaxBytes}.
	 * Keep it above the largest record batch (ingest's max-event-bytes, 256KB, plus
	 * record overhead): a smaller value still makes progress, since Kafka returns an
	 * oversize first batch anyway, but one batch per fetch
	 * @param fetchWait how long the broker may hold each source's fetch to gather
	 * {@code fetchMinBytes}, fixed at start
	 * @param fetchMinBytes what a source with a fetch wait asks each fetch to bring
	 * ({@code fetch.min.bytes}), fixed at start; at most {@code maxPartitionFetchBytes},
	 * so that one partition can fill a fetch
	 */
	public record Kafka(@DefaultValue @Valid MaxRecords maxRecords,
			@DefaultValue("2000") @Min(1) @Max(100_000) int maxRecordsCeiling,
			@DefaultValue("100ms") Duration pollTimeout, @DefaultValue("1s") Duration commitInterval,
			@DefaultValue("8MB") DataSize fetchMaxBytes, @DefaultValue("1MB") DataSize maxPartitionFetchBytes,
			@DefaultValue @Valid FetchWait fetchWait, @DefaultValue("64KB") DataSize fetchMinBytes) {

		public Kafka {
			requirePositive("gateway.orchestrator.kafka.poll-timeout", pollTimeout);
			if (commitInterval.isNegative() || commitInterval.compareTo(MAX_COMMIT_INTERVAL) > 0) {
				throw new IllegalArgumentException("gateway.orchestrator.kafka.commit-interval must be between 0 and "
						+ MAX_COMMIT_INTERVAL + ", was " + commitInterval);
			}
			// Both are int settings of the Kafka client.
			requireBytesBetween("gateway.orchestrator.kafka.fetch-max-bytes", fetchMaxBytes, 1, Integer.MAX_VALUE);
			requireBytesBetween("gateway.orchestrator.kafka.max-partition-fetch-bytes", maxPartitionFetchBytes, 1,
					fetchMaxBytes.toBytes());
			// One partition must be able to fill a fetch, or every fetch waits its full
			// wait.
			requireBytesBetween("gateway.orchestrator.kafka.fetch-min-bytes", fetchMinBytes, 1,
					maxPartitionFetchBytes.toBytes());
			int highest = Math.max(Math.max(Math.max(maxRecords.p30(), maxRecords.p20()), maxRecords.p10()),
					Math.max(maxRecords.offload(), maxRecords.retry()));
			if (highest > maxRecordsCeiling) {
				throw new IllegalArgumentException("gateway.orchestrator.kafka.max-records (" + highest
						+ ") must not exceed gateway.orchestrator.kafka.max-records-ceiling (" + maxRecordsCeiling
						+ "), which takes a restart to raise");
			}
		}

		/** The limit of one source. */
		public int maxRecords(String source) {
			return switch (source) {
				case "p30" -> this.maxRecords.p30();
				case "p20" -> this.maxRecords.p20();
				case "p10" -> this.maxRecords.p10();
				case "offload" -> this.maxRecords.offload();
				case "retry" -> this.maxRecords.retry();
				default -> throw new IllegalArgumentException("no source named " + source);
			};
		}

	}

	/**
	 * How long the broker may hold a fetch of each source to gather the consumer's
	 * {@code fetch-min-bytes} (Kafka's {@code fetch.max.wait.ms}); zero: the fetch
	 * returns as soon as one record is there. Every fetch costs the broker and the
	 * orchestrator a request whatever it brings, so a source that can wait a little, far
	 * below its priority's SLO, is read in fewer and larger fetches. Once a fetch holds
	 * {@code fetch-min-bytes} it returns at once, so a source busy enough to fill that
	 * much within its wait waits less. An idle source with a wait sends a fetch every
	 * wait (each broker holds it that long, then answers it empty): a short wait costs
	 * every orchestrator that many requests a second even with nothing to read, where
	 * Kafka's own default (500 ms) costs two.
	 *
	 * @param p30 for the P30 topic: no wait, its events are the urgent ones
	 * @param p20 for the P20 topic
	 * @param p10 for the P10 topic
	 * @param offload for the offload topic
	 * @param retry for the retry topics, whose records wait their back-off anyway
	 */
	public record FetchWait(@DefaultValue("0ms") Duration p30, @DefaultValue("100ms") Duration p20,
			@DefaultValue("500ms") Duration p10, @DefaultValue("500ms") Duration offload,
			@DefaultValue("500ms") Duration retry) {

		public FetchWait {
			requireWait("p30", p30);
			requireWait("p20", p20);
			requireWait("p10", p10);
			requireWait("offload", offload);
			requireWait("retry", retry);
		}

		/** The wait of one source. */
		public Duration of(String source) {
			return switch (source) {
				case "p30" -> this.p30;
				case "p20" -> this.p20;
				case "p10" -> this.p10;
				case "offload" -> this.offload;
				case "retry" -> this.retry;
				default -> throw new IllegalArgumentException("no source named " + source);
			};
		}

		private static void requireWait(String source, Duration wait) {
			if (wait.isNegative() || wait.compareTo(MAX_FETCH_WAIT) > 0) {
				throw new IllegalArgumentException("gateway.orchestrator.kafka.fetch-wait." + source
						+ " must be between 0 and " + MAX_FETCH_WAIT.toSeconds() + "s, was " + wait.toMillis() + "ms");
			}
		}

	}

	/**
	 * The most records one poll returns, per source.
	 *
	 * @param p30 for the P30 topic
	 * @param p20 for the P20 topic
	 * @param p10 for the P10 topic
	 * @param offload for the offload topic
	 * @param retry for the retry topics
	 */
	public record MaxRecords(@DefaultValue("500") @Min(1) int p30, @DefaultValue("500") @Min(1) int p20,
			@DefaultValue("500") @Min(1) int p10, @DefaultValue("500") @Min(1) int offload,
			@DefaultValue("500") @Min(1) int retry) {
	}

	/**
	 * Per source, the share of the maximum heap (percent) above which it pauses. A
	 * priority source is charged with the bytes held for its priority; offload and retry
	 * with all held bytes, so neither may exceed p30 + p20 + p10. That sum, plus the
	 * source consumers' fetch buffers, must fit {@value MemoryBudget#MAX_HEAP_PERCENT}%
	 * of the heap: checked at start and on every refresh, where a refused value leaves
	 * the last good one in force.
	 *
	 * @param p30 the P30 topic
	 * @param p20 the P20 topic
	 * @param p10 the P10 topic
	 * @param offload the offload topic
	 * @param retry the retry topics
	 */
	public record MemoryThresholds(@DefaultValue("30") @DecimalMin("0") @DecimalMax("100") double p30,
			@DefaultValue("20") @DecimalMin("0") @DecimalMax("100") double p20,
			@DefaultValue("15") @DecimalMin("0") @DecimalMax("100") double p10,
			@DefaultValue("10") @DecimalMin("0") @DecimalMax("100") double offload,
			@DefaultValue("40") @DecimalMin("0") @DecimalMax("100") double retry) {

		public MemoryThresholds {
			// A value out of 0..100 is left to its constraint, whose message names it
			// (the
			// constructor runs before the constraints are checked).
			if (isPercent(p30) && isPercent(p20) && isPercent(p10) && isPercent(offload) && isPercent(retry)) {
				requireBudget(p30, p20, p10, offload, retry);
			}
		}

		private static void requireBudget(double p30, double p20, double p10, double offload, double retry) {
			double priorities = p30 + p20 + p10;
			if (priorities > MemoryBudget.MAX_HEAP_PERCENT) {
				throw new IllegalArgumentException(String.format(Locale.ROOT,
						"gateway.orchestrator.memory-threshold-percent.p30 + p20 + p10 must not exceed %.0f (percent "
								+ "of the heap, together), was %s + %s + %s = %s",
						MemoryBudget.MAX_HEAP_PERCENT, p30, p20, p10, priorities));
			}
			// Offload and retry are charged with all held bytes: within the priorities'
			// sum, they never let the total grow past what the priorities may hold.
			requireWithin("offload", offload, priorities);
			requireWithin("retry", retry, priorities);
		}

		/**
		 * Refuses a hysteresis at or above any threshold: the source would resume only
		 * below its threshold minus the hysteresis, zero or less, which it never reaches.
		 * @param hysteresis {@code memory-hysteresis-percent}; a value out of 0..100 is
		 * left to its constraint
		 */
		void requireAbove(double hysteresis) {
			if (!isPercent(hysteresis)) {
				return;
			}
			String[] sources = { "p30", "p20", "p10", "offload", "retry" };
			double[] thresholds = { this.p30, this.p20, this.p10, this.offload, this.retry };
			for (int i = 0; i < sources.length; i++) {
				// A threshold out of 0..100 is left to its constraint as well.
				if (isPercent(thresholds[i]) && thresholds[i] <= hysteresis) {
					throw new IllegalArgumentException("gateway.orchestrator.memory-hysteresis-percent (" + hysteresis
							+ ") must be below gateway.orchestrator.memory-threshold-percent." + sources[i] + " ("
							+ thresholds[i] + "): a paused source resumes below its threshold minus the "
							+ "hysteresis, so it would never resume");
				}
			}
		}

		/**
		 * The priority sources' thresholds together: what the buffer may hold at most.
		 */
		public double priorities() {
			return this.p30 + this.p20 + this.p10;
		}

		private static boolean isPercent(double value) {
			return value >= 0 && value <= 100;
		}

		private static void requireWithin(String source, double threshold, double priorities) {
			if (threshold > priorities) {
				throw new IllegalArgumentException("gateway.orchestrator.memory-threshold-percent." + source + " ("
						+ threshold + ") must not exceed p30 + p20 + p10 (" + priorities + "): it is charged with "
						+ "all held bytes, so a higher value lets the buffer grow past the priorities' budget");
			}
		}

	}

	/**
	 * Retry delays: level k waits {@code base-delay × multiplier^(k-1)}; the number of
	 * levels is {@code gateway.topics.retry-levels}.
	 *
	 * @param baseDelay the delay of level 1
	 * @param multiplier how much longer each next level waits
	 */
	public record Retry(@DefaultValue("5s") Duration baseDelay,
			@DefaultValue("4") @DecimalMin("1") @DecimalMax("100") double multiplier) {

		public Retry {
			if (baseDelay.isNegative()) {
				throw new IllegalArgumentException("gateway.orchestrator.retry.base-delay must not be negative");
			}
		}

	}

	/**
	 * When the offload topic is read.
	 *
	 * @param drainBelow read offload only while fewer than this many tasks wait in the
	 * buffer
	 */
	public record Offload(@DefaultValue("100") @Min(1) int drainBelow) {
	}

	/**
	 * The AIMD signals on the flow-control topic: at every interval, DECREASE when P10 is
	 * at risk (its consumer is paused, or the oldest buffered P10 event has less than
	 * {@code p10SlackThreshold} left before its deadline), else INCREASE.
	 *
	 * @param enabled whether signals are sent at all
	 * @param interval how often a signal is sent
	 * @param p10SlackThreshold P10 is at risk when its oldest buffered event has less
	 * time than this left
	 * @param bootstrapServers the Kafka cluster the signals go to, the one ingest reads,
	 * with a producer of their own; unset for the orchestrator's own cluster. Set on
	 * every fleet but the one on ingest's cluster, so that ingest hears all of them.
	 * Fixed at start
	 */
	public record FlowControl(@DefaultValue("true") boolean enabled, @DefaultValue("5s") Duration interval,
			@DefaultValue("5m") Duration p10SlackThreshold, @Nullable String bootstrapServers) {

		public FlowControl {
			requirePositive("gateway.orchestrator.flow-control.interval", interval);
			requirePositive("gateway.orchestrator.flow-control.p10-slack-threshold", p10SlackThreshold);
		}

	}

	private static void requireBytesBetween(String key, DataSize value, long min, long max) {
		if (value.toBytes() < min || value.toBytes() > max) {
			throw new IllegalArgumentException(
					key + " must be between " + min + "B and " + max + "B, was " + value.toBytes() + "B");
		}
	}

	private static void requirePositive(String key, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(key + " must be positive, was " + value);
		}
	}

}
