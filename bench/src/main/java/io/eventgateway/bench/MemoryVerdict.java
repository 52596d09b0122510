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

	static double mebibytes(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

}
