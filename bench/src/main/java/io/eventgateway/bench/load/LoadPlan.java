package io.eventgateway.bench.load;

/**
 * One open-loop run the load generator is told to make, sent to it as a JSON line.
 *
 * @param runId the prefix of every event id ({@code runId-sequence}), and the run's name
 * @param target {@code gateway} (ingest's gRPC API through the producer client) or
 * {@code kafka} (a topic, through a Kafka producer with the publisher's settings)
 * @param address ingest's gRPC {@code host:port}, or Kafka's bootstrap servers
 * @param topic the Kafka topic for the {@code kafka} target; unused otherwise
 * @param rate events per second, due at fixed intervals whatever the answers; 0 sends as
 * fast as the producer takes them (the {@code kafka} target only)
 * @param durationMillis how long events are due
 * @param p30Share the share of P30 events ({@code gateway} only)
 * @param p20Share the share of P20 events, the rest P10 ({@code gateway} only)
 * @param acceptedFile where the generator writes the sequence numbers of the events
 * accepted (a {@link java.util.BitSet}'s bytes) before it reports the run done
 */
public record LoadPlan(String runId, String target, String address, String topic, int rate, long durationMillis,
		double p30Share, double p20Share, String acceptedFile) {

	/** Target name for ingest's gRPC API. */
	public static final String GATEWAY = "gateway";

	/** Target name for a Kafka topic. */
	public static final String KAFKA = "kafka";

	public LoadPlan {
		if (!GATEWAY.equals(target) && !KAFKA.equals(target)) {
			throw new IllegalArgumentException("target must be gateway or kafka, was " + target);
		}
		if (rate < 0 || (rate == 0 && GATEWAY.equals(target))) {
			throw new IllegalArgumentException(
					"rate must be positive (0, as fast as possible, for kafka only), was " + rate);
		}
	}

	/** How many events the run offers; unknown (-1) when it sends as fast as it can. */
	public long total() {
		return (this.rate > 0) ? this.rate * this.durationMillis / 1000 : -1;
	}

}
