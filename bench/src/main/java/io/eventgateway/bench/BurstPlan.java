package io.eventgateway.bench;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.eventgateway.common.event.Priority;

/**
 * How big the burst is: ten times the workers' capacity for a moment, with events large
 * enough that together they hold {@link #OVERFILL} times the P30, P20 and P10 thresholds
 * together. P20 and P10 each get {@link #LANE_OVERFILL} times their own threshold: the
 * workers serve neither while P30 waits, so what is over the threshold stays in Kafka.
 * P30 gets the rest, since the workers take P30 first and drain it while the burst still
 * arrives (on a busy machine the burst takes several times its nominal length to pass
 * ingest and the publisher).
 *
 * @param rate events offered per second, ten times the capacity
 * @param length how long the burst lasts
 * @param events how many events it holds
 * @param payloadBytes each event's payload
 * @param shares each priority's share of the events
 * @param reachesThresholds whether events of at most {@link #MAX_PAYLOAD_BYTES} are
 * enough; when not, the burst is as large as they allow and the verdict says it was too
 * small (raise {@code --duration} or {@code --capacity})
 */
record BurstPlan(int rate, Duration length, long events, int payloadBytes, Map<Priority, Double> shares,
		boolean reachesThresholds) {

	/** How far the burst overfills the thresholds together. */
	static final double OVERFILL = 3.0;

	/** How far the burst overfills the P20 and P10 thresholds each. */
	static final double LANE_OVERFILL = 2.0;

	/**
	 * Below ingest's default per-event limit (256KB), with room for the JSON around it.
	 */
	static final int MAX_PAYLOAD_BYTES = 128 * 1024;

	/**
	 * What a held task costs beyond its payload: the event's other fields and framing
	 * (ids, type, times, about 200 bytes) and the orchestrator's own per-task overhead
	 * (256 bytes, {@code BufferedTask.OVERHEAD_BYTES}).
	 */
	static final int HELD_OVERHEAD_BYTES = 456;

	/**
	 * @param capacity the workers' capacity, events/s
	 * @param duration the run's {@code --duration}: the burst lasts an eleventh of it, at
	 * least a second
	 * @param thresholdBytes the P30, P20 and P10 sources' thresholds, in bytes
	 */
	static BurstPlan of(int capacity, Duration duration, Map<Priority, Long> thresholdBytes) {
		if (capacity <= 0) {
			throw new IllegalArgumentException("--capacity must be positive, was " + capacity);
		}
		Duration length = duration.dividedBy(11);
		if (length.compareTo(Duration.ofSeconds(1)) < 0) {
			length = Duration.ofSeconds(1);
		}
		int rate = 10 * capacity;
		long events = rate * length.toMillis() / 1000;
		long total = 0;
		for (Priority priority : new Priority[] { Priority.P30, Priority.P20, Priority.P10 }) {
			Long bytes = thresholdBytes.get(priority);
			if (bytes == null || bytes <= 0) {
				throw new IllegalArgumentException(
						"no positive memory threshold for " + priority + ": " + thresholdBytes);
			}
			total += bytes;
		}
		Map<Priority, Double> shares = new EnumMap<>(Priority.class);
		double burst = OVERFILL * total;
		shares.put(Priority.P20, LANE_OVERFILL * thresholdBytes.get(Priority.P20) / burst);
		shares.put(Priority.P10, LANE_OVERFILL * thresholdBytes.get(Priority.P10) / burst);
		shares.put(Priority.P30, 1 - shares.get(Priority.P20) - shares.get(Priority.P10));
		long perEvent = (long) Math.ceil(OVERFILL * total / events) - HELD_OVERHEAD_BYTES;
		boolean reaches = perEvent <= MAX_PAYLOAD_BYTES;
		int payload = (int) Math.max(64, Math.min(MAX_PAYLOAD_BYTES, perEvent));
		return new BurstPlan(rate, length, events, payload, Map.copyOf(shares), reaches);
	}

	/** The bytes the burst brings to the orchestrator, as it counts them. */
	long heldBytes() {
		return this.events * (this.payloadBytes + HELD_OVERHEAD_BYTES);
	}

}
