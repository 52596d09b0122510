package io.eventgateway.bench;

import java.util.Map;
import java.util.Set;

/**
 * What the burst scenario read from the orchestrator at one moment.
 *
 * @param atMillis since the watch started
 * @param heapUsedBytes the orchestrator's heap in use (live and not yet collected)
 * @param chargedBytes per source, the bytes its memory gate compares with its threshold:
 * a priority source's own held bytes and read-ahead waiting bytes, offload's and retry's
 * every priority's held bytes and every source's waiting bytes
 * @param pausedForMemory the sources whose gate was closed
 */
record MemorySample(long atMillis, long heapUsedBytes, Map<String, Long> chargedBytes, Set<String> pausedForMemory) {

	MemorySample {
		chargedBytes = Map.copyOf(chargedBytes);
		pausedForMemory = Set.copyOf(pausedForMemory);
	}

}
