package io.eventgateway.common.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Topic settings shared by every role.
 *
 * @param prefix the prefix of every topic name ({@code events.p30},
 * {@code events.responses}, ...)
 * @param create whether the role creates missing topics at startup; turn off where topics
 * are managed outside the gateway
 * @param partitions partitions of each created topic; the responses topic needs at least
 * as many as there are orchestrator replicas
 * @param replicationFactor replication factor of each created topic (3 in production; a
 * prod instance refuses 1)
 * @param minInsyncReplicas {@code min.insync.replicas} of each created topic: how many
 * replicas must have a write before the gateway's {@code acks=all} producers count it as
 * accepted (2 in production, where a prod instance refuses less); at most
 * {@code replicationFactor}
 * @param retryLevels how many retry topics exist; a NACKed event passes through each
 * before the dead-letter topic
 * @param retention {@code retention.ms} of each created topic (and of the failed-writes
 * and parking topics the publisher creates): long enough to ride out an outage of the
 * pipeline over a weekend without Kafka deleting accepted events nobody has consumed yet;
 * must be positive
 * @param delayTiers the hold of each delay topic ({@code <prefix>.delay.<seconds>s}),
 * whole seconds, shortest first; an event delayed by a rule or its {@code not_before}
 * waits on these topics, moving to shorter tiers as its due time nears. Every role must
 * agree on them, and {@code retention} must exceed the longest tier
 */
@Validated
@ConfigurationProperties("gateway.topics")
public record GatewayTopicsProperties(@DefaultValue("events") @NotBlank String prefix,
		@DefaultValue("true") boolean create, @DefaultValue("6") @Min(1) @Max(10_000) int partitions,
		@DefaultValue("1") @Min(1) @Max(32) short replicationFactor,
		@DefaultValue("1") @Min(1) @Max(32) int minInsyncReplicas, @DefaultValue("3") @Min(0) @Max(20) int retryLevels,
		@DefaultValue("7d") Duration retention, @DefaultValue( {
				"1s", "10s", "1m", "10m", "1h" }) List<Duration> delayTiers){

	public GatewayTopicsProperties {
		if (minInsyncReplicas > replicationFactor) {
			// Kafka would accept the topic and then refuse every acks=all write to it.
			throw new IllegalArgumentException("gateway.topics.min-insync-replicas (" + minInsyncReplicas
					+ ") must not exceed gateway.topics.replication-factor (" + replicationFactor
					+ "): no acks=all write could ever succeed");
		}
		if (retention.isNegative() || retention.isZero()) {
			// Zero or less would mean "delete at once" or, for -1, "keep forever":
			// neither is
			// what anyone setting a duration means.
			throw new IllegalArgumentException("gateway.topics.retention must be positive, was " + retention);
		}
		if (!delayTiers.isEmpty() && retention.compareTo(delayTiers.get(delayTiers.size() - 1)) <= 0) {
			throw new IllegalArgumentException("gateway.topics.retention (" + retention
					+ ") must exceed the longest of gateway.topics.delay-tiers " + delayTiers
					+ ": Kafka would delete delayed events before they are due");
		}
	}

	/** The {@code retention.ms} topic setting of created topics. */
	public String retentionMs() {
		return String.valueOf(this.retention.toMillis());
	}

	/**
	 * The topic-level settings of every topic the gateway creates ({@code retention.ms},
	 * {@code min.insync.replicas}).
	 */
	public Map<String, String> topicConfigs() {
		return Map.of(TopicConfig.RETENTION_MS_CONFIG, retentionMs(), TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
				String.valueOf(this.minInsyncReplicas));
	}

}
