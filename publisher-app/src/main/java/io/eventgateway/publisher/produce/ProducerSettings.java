package io.eventgateway.publisher.produce;

import java.time.Duration;

import jakarta.validation.constraints.Pattern;

import org.springframework.util.unit.DataSize;

/**
 * How one producer batches: low linger for urgent traffic, bigger compressed batches for
 * bulk. Every producer keeps {@code acks=all} and idempotence, whatever is set here.
 *
 * @param linger how long the producer waits to fill a batch
 * @param batchSize the largest batch per partition
 * @param compression none, gzip, snappy, lz4 or zstd
 */
public record ProducerSettings(Duration linger, DataSize batchSize,
		@Pattern(regexp = "none|gzip|snappy|lz4|zstd") String compression) {

	public ProducerSettings {
		if (linger.isNegative()) {
			throw new IllegalArgumentException("producer linger must not be negative, was " + linger);
		}
		if (batchSize.toBytes() < 1 || batchSize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("producer batch size must be between 1B and 2GB, was " + batchSize);
		}
	}

}
