package io.eventgateway.orchestrator.lag;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The lag probe's own consumer. It reads only the timestamp of one record per partition,
 * so outside the memory thresholds it holds one fetch (at most {@link #FETCH_MAX_BYTES},
 * or one larger first batch) and one record at a time:
 * <ul>
 * <li>one record per poll: a poll materialises every record it returns, and a compressed
 * batch of large events (P10's zstd batches) decompresses to many times its fetch size,
 * each record in a buffer of its own that its headers keep alive;</li>
 * <li>neither key nor value copied: both are read as slices of that buffer and
 * dropped.</li>
 * </ul>
 * It belongs to no group and never commits: it only reads where the groups stand.
 */
public final class ProbeConsumer {

	/**
	 * What the consumer may fetch at once: one small partition fetch per partition read.
	 */
	static final int FETCH_MAX_BYTES = 1024 * 1024;

	static final int PARTITION_FETCH_BYTES = 64 * 1024;

	/** As many partitions at once as one fetch holds a partition's worth of each. */
	public static final int READS_AT_ONCE = FETCH_MAX_BYTES / PARTITION_FETCH_BYTES;

	/** How soon the consumer notices partitions added or deleted. */
	private static final int METADATA_MAX_AGE_MS = 30_000;

	private ProbeConsumer() {
	}

	/**
	 * A consumer with the role's cluster and security settings.
	 * @param clientSettings the role's consumer settings
	 * @param replicaIndex this replica's index, for the client id
	 */
	public static KafkaConsumer<byte[], byte[]> create(Map<String, Object> clientSettings, int replicaIndex) {
		Map<String, Object> config = new HashMap<>(clientSettings);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
		config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PARTITION_FETCH_BYTES);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
		config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, METADATA_MAX_AGE_MS);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "event-gateway-orchestrator-" + replicaIndex + "-lag-probe");
		return new KafkaConsumer<>(config, new Discard(), new Discard());
	}

	/**
	 * Reads nothing: the consumer hands keys and values over as buffers, which the
	 * byte-array form would copy first.
	 */
	private static final class Discard implements Deserializer<byte[]> {

		@Override
		public byte[] deserialize(String topic, byte[] data) {
			return null;
		}

		@Override
		public byte[] deserialize(String topic, Headers headers, ByteBuffer data) {
			return null;
		}

	}

}
