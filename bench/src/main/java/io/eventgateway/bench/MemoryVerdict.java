package io.eventgateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The burst's checks on the orchestrator's memory: every source's gate closed and opened
 * again (the burst crossed every threshold and drained below it), and no priority source
 * (P30, P20, P10) was ever charged more than its threshold plus {@link #BOUND_PERCENT}%
 * (a poll may overshoot a threshold by what one fetch brings, which the benchmark keeps
 * small). Offload and retry are charged with every priority's bytes, most of which they
 * did not read: their gates only stop them adding more, so only their pauses count.
 *
 * <p>
 * The heap is judged too ({@link #heapFailure}): the figure judged is the growth of the
 * orchestrator's heap in use ({@code jvm.memory.used}, area heap, sampled with the
 * charged bytes) from just before the burst to its peak, against what the gates let it
 * hold (the P30, P20 and P10 thresholds together, or a larger offload or retry threshold)
 * plus {@link #BOUND_PERCENT}%. Heap in use counts garbage not yet collected, so this
 * errs towards failing: a failure says look at the GC log, never that the gates held too
 * much by itself.
 */
final class MemoryVerdict {

	/** How far above its threshold a source may be charged, percent of the threshold. */
	static final double BOUND_PERCENT = 10;

	/** The sources charged with only what they read themselves. */
	static final Set<String> BOUNDED_SOURCES = Set.of("p30", "p20", "p10");

	private MemoryVerdict() {
	}

	/**
	 * The checks the figures fail, each in a sentence; empty when all hold.
	 * @param thresholdBytes per source, its threshold
	 * @param peakChargedBytes per source, the most it was charged with in any sample
	 * @param pauses per source, times its gate closed
	 * @param resumes per source, times its gate opened again
	 */
	static List<String> failures(Map<String, Long> thresholdBytes, Map<String, Long> peakChargedBytes,
			Map<String, Long> pauses, Map<String, Long> resumes) {
		List<String> failures = new ArrayList<>();
		thresholdBytes.forEach((source, threshold) -> {
			long peak = peakChargedBytes.getOrDefault(source, 0L);
			if (BOUNDED_SOURCES.contains(source) && peak > threshold * (1 + BOUND_PERCENT / 100)) {
				failures.add(String.format(Locale.ROOT,
						"source %s was charged %.1f MiB, over its threshold of %.1f MiB plus %.0f%%", source,
						mebibytes(peak), mebibytes(threshold), BOUND_PERCENT));
			}
			if (pauses.getOrDefault(source, 0L) == 0) {
				failures.add("source " + source + " never paused for memory: the burst did not cross its threshold of "
						+ String.format(Locale.ROOT, "%.1f MiB", mebibytes(threshold)));
			}
			else if (resumes.getOrDefault(source, 0L) == 0) {
				failures.add("source " + source + " paused for memory and never resumed");
			}
		});
		return failures;
	}

	/**
	 * The most the gates let the orchestrator hold: the priority sources' thresholds
	 * together (each gates only its own bytes), or the largest other threshold (offload
	 * and retry gate every byte held) when that is larger.
	 * @param thresholdBytes per source, its threshold
	 */
	static long allowedHeldBytes(Map<String, Long> thresholdBytes) {
		long priorities = 0;
		long others = 0;
		for (Map.Entry<String, Long> threshold : thresholdBytes.entrySet()) {
			if (BOUNDED_SOURCES.contains(threshold.getKey())) {
				priorities += threshold.getValue();
			}
			else {
				others = Math.max(others, threshold.getValue());
			}
		}
		return Math.max(priorities, others);
	}

	/**
	 * The heap check, in a sentence, or {@code null} when it holds: the heap in use grew
	 * from before the burst to its peak by no more than {@link #allowedHeldBytes} plus
	 * {@link #BOUND_PERCENT}%.
	 * @param thresholdBytes per source, its threshold
	 * @param heapBeforeBytes heap in use just before the burst
	 * @param peakHeapBytes the most heap in use in any sample
	 */
	static String heapFailure(Map<String, Long> thresholdBytes, long heapBeforeBytes, long peakHeapBytes) {
		long allowed = allowedHeldBytes(thresholdBytes);
		long growth = peakHeapBytes - heapBeforeBytes;
		if (growth <= allowed * (1 + BOUND_PERCENT / 100)) {
			return null;
		}
		return String.format(Locale.ROOT,
				"the orchestrator's heap in use grew by %.1f MiB (%.1f MiB before the burst, %.1f MiB at its peak),"
						+ " over its thresholds together (%.1f MiB) plus %.0f%% (heap in use counts garbage"
						+ " not yet collected)",
				mebibytes(growth), mebibytes(heapBeforeBytes), mebibytes(peakHeapBytes), mebibytes(allowed),
				BOUND_PERCENT);
	}

	static double mebibytes(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

}
