package io.eventgateway.orchestrator.buffer;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import io.eventgateway.common.event.Priority;

/**
 * The ingest times of a set of tasks, per priority, counted so that the oldest is known
 * without a scan: adding or removing a task costs a logarithm of the distinct times held.
 *
 * <p>
 * Not thread-safe: its owner guards it.
 */
final class IngestTimes {

	private final Map<Priority, TreeMap<Instant, Integer>> byPriority = new EnumMap<>(Priority.class);

	IngestTimes() {
		for (Priority priority : Priority.values()) {
			this.byPriority.put(priority, new TreeMap<>());
		}
	}

	void add(BufferedTask task) {
		this.byPriority.get(task.priority()).merge(task.ingestedAt(), 1, Integer::sum);
	}

	void remove(BufferedTask task) {
		this.byPriority.get(task.priority())
			.computeIfPresent(task.ingestedAt(), (time, count) -> (count > 1) ? count - 1 : null);
	}

	/** The earliest ingest time held for the priority, or {@code null} when none. */
	Instant oldest(Priority priority) {
		TreeMap<Instant, Integer> times = this.byPriority.get(priority);
		return times.isEmpty() ? null : times.firstKey();
	}

}
