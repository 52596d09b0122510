package io.eventgateway.orchestrator.buffer;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.eventgateway.common.event.Priority;

/**
 * One instant of each of a set of tasks (its ingest time, its deadline), counted per
 * priority so that the earliest is known without a scan: adding or removing a task costs
 * a logarithm of the distinct instants held.
 *
 * <p>
 * Not thread-safe: its owner guards it.
 */
final class EarliestPerPriority {

	private final Map<Priority, TreeMap<Instant, Integer>> byPriority = new EnumMap<>(Priority.class);

	private final Function<BufferedTask, Instant> instant;

	/**
	 * @param instant the instant of a task that counts
	 */
	EarliestPerPriority(Function<BufferedTask, Instant> instant) {
		this.instant = instant;
		for (Priority priority : Priority.values()) {
			this.byPriority.put(priority, new TreeMap<>());
		}
	}

	void add(BufferedTask task) {
		this.byPriority.get(task.priority()).merge(this.instant.apply(task), 1, Integer::sum);
	}

	void remove(BufferedTask task) {
		this.byPriority.get(task.priority())
			.computeIfPresent(this.instant.apply(task), (time, count) -> (count > 1) ? count - 1 : null);
	}

	/** The earliest instant held for the priority, or {@code null} when none. */
	Instant earliest(Priority priority) {
		TreeMap<Instant, Integer> times = this.byPriority.get(priority);
		return times.isEmpty() ? null : times.firstKey();
	}

}
