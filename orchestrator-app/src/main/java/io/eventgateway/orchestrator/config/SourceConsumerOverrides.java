package io.eventgateway.orchestrator.config;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a source's consumer sets over the application's Kafka consumer settings.
 */
final class SourceConsumerOverrides {

	private SourceConsumerOverrides() {
	}

	/**
	 * The overrides of the source of the given name ({@code p30}, {@code retry}, ...).
	 */
	static Properties of(OrchestratorProperties.Kafka kafka, String source) {
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
		overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(kafka.maxRecordsCeiling()));
		// Bounded, since a poll may overshoot the source's memory threshold by one fetch.
		overrides.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Long.toString(kafka.fetchMaxBytes().toBytes()));
		overrides.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
				Long.toString(kafka.maxPartitionFetchBytes().toBytes()));
		// Fewer, larger fetches for a source that may wait. One that may not keeps
		// Kafka's defaults: a fetch returns as soon as one record is there, and an idle
		// one after 500 ms (a zero fetch.max.wait.ms would fetch nothing in a tight
		// loop).
		Duration fetchWait = kafka.fetchWait().of(source);
		if (!fetchWait.isZero()) {
			overrides.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(fetchWait.toMillis()));
			overrides.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Long.toString(kafka.fetchMinBytes().toBytes()));
		}
		// Only partitions that move are revoked, so a replica joining costs the others
		// little.
		overrides.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
		return overrides;
	}

}
