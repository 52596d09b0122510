package io.eventgateway.orchestrator.memory;

import java.util.Locale;

/**
 * Whether the memory the sources may fill fits the heap: the priority sources' thresholds
 * together (offload and retry are charged with all held bytes and kept within that sum)
 * plus what the source consumers may hold outside the buffer. Checked at start and on
 * every refresh of the thresholds, since each threshold alone may be valid while together
 * they exceed the heap.
 *
 * <p>
 * Each consumer is charged twice its {@code fetch.max.bytes}: one fetch already returned
 * by a poll and accepted while the held bytes were just below the threshold (a gate is
 * checked before a poll, not during it), and one fetch the client buffers for the next
 * poll. Immutable and thread-safe.
 *
 * @param maxHeapBytes the heap the thresholds are percentages of
 */
public record MemoryBudget(long maxHeapBytes) {

	/**
	 * The share of the heap (percent) thresholds and fetch buffers may fill together; the
	 * rest is for everything not counted: gRPC and Kafka client buffers beyond one fetch,
	 * leases' bookkeeping, the framework itself.
	 */
	public static final double MAX_HEAP_PERCENT = 90;

	/** Fetches a source consumer may hold beyond its threshold. */
	static final int FETCHES_PER_CONSUMER = 2;

	public MemoryBudget {
		if (maxHeapBytes <= 0) {
			throw new IllegalArgumentException("max heap must be positive, was " + maxHeapBytes);
		}
	}

	/**
	 * Refuses thresholds and fetch sizes that do not fit the heap together.
	 * @param priorityThresholdPercent the sum of the P30, P20 and P10 sources' thresholds
	 * @param consumers how many source consumers run
	 * @param fetchMaxBytes each consumer's {@code fetch.max.bytes}
	 * @throws IllegalArgumentException naming the settings involved when they do not fit
	 */
	public void check(double priorityThresholdPercent, int consumers, long fetchMaxBytes) {
		long thresholdBytes = (long) (this.maxHeapBytes * priorityThresholdPercent / 100.0);
		long fetchBytes = FETCHES_PER_CONSUMER * consumers * fetchMaxBytes;
		long allowedBytes = (long) (this.maxHeapBytes * MAX_HEAP_PERCENT / 100.0);
		if (thresholdBytes + fetchBytes > allowedBytes) {
			throw new IllegalArgumentException(String.format(Locale.ROOT,
					"gateway.orchestrator.memory-threshold-percent.p30 + p20 + p10 (%.1f%% of the heap, %s) plus the "
							+ "fetch buffers of %d source consumers (%d x gateway.orchestrator.kafka.fetch-max-bytes "
							+ "of %s each, %s) come to %s, over %.0f%% of the max heap (%s of %s): lower the thresholds "
							+ "or fetch-max-bytes, or give the JVM more heap",
					priorityThresholdPercent, megabytes(thresholdBytes), consumers, FETCHES_PER_CONSUMER,
					megabytes(fetchMaxBytes), megabytes(fetchBytes), megabytes(thresholdBytes + fetchBytes),
					MAX_HEAP_PERCENT, megabytes(allowedBytes), megabytes(this.maxHeapBytes)));
		}
	}

	private static String megabytes(long bytes) {
		return String.format(Locale.ROOT, "%.1fMB", bytes / (1024.0 * 1024.0));
	}

}
