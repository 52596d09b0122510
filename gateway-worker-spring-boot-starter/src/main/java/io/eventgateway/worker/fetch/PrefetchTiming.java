package io.eventgateway.worker.fetch;

import java.time.Duration;
import java.util.List;

/**
 * When a fetch loop starts fetching its next batch: a lead before the batch in hand, and
 * the batches already fetched ahead of it, are expected to be done.
 *
 * <p>
 * Fetching at once leases the next batch a whole batch early, so an urgent event that
 * reaches the orchestrator meanwhile waits behind both batches; fetching only once the
 * batch in hand is answered leaves the processor idle through a FetchTasks call. The lead
 * covers that call.
 *
 * <p>
 * A batch is expected to take the processor's recent time per event times its size, but
 * no longer than the slowest of the last {@value #RECENT} batches took: a processor whose
 * cost is per batch rather than per event is not expected to take a hundred times longer
 * for a hundred times the events. Without an estimate (no batch processed yet), or when
 * the batches are expected to take less than the lead, the next batch is fetched at once.
 * An estimate that is too long costs at most one FetchTasks call of idling, as without
 * prefetch; one that is too short fetches early, as an untimed prefetch does.
 *
 * <p>
 * Not thread-safe: used from its fetch loop's thread only.
 */
final class PrefetchTiming {

	/** How many batch durations cap the estimate. */
	static final int RECENT = 8;

	private final long leadNanos;

	/**
	 * The processor's time per event, smoothed over the batches so far; negative until
	 * the first.
	 */
	private double nanosPerEvent = -1;

	/** The last batches' durations, as a ring. */
	private final long[] recent = new long[RECENT];

	/** Where the next duration goes in {@link #recent}. */
	private int next;

	/** How many of {@link #recent} hold a duration, at most {@link #RECENT}. */
	private int known;

	/**
	 * @param lead how long before the batches in hand and ahead are expected to be done
	 * the next one is fetched; not negative
	 */
	PrefetchTiming(Duration lead) {
		this.leadNanos = saturatedNanos(lead);
	}

	/**
	 * Counts a batch the processor was given.
	 * @param events how many events it processed
	 * @param nanos how long it took
	 */
	void processed(int events, long nanos) {
		if (events <= 0 || nanos < 0) {
			return;
		}
		double perEvent = (double) nanos / events;
		// Half the weight on the latest batch: follows a processor that slows down within
		// a few batches, without one odd batch deciding alone.
		this.nanosPerEvent = (this.nanosPerEvent < 0) ? perEvent : (this.nanosPerEvent + perEvent) / 2;
		this.recent[this.next] = nanos;
		this.next = (this.next + 1) % RECENT;
		this.known = Math.min(this.known + 1, RECENT);
	}

	/**
	 * How long after a batch is taken to start fetching the next one.
	 * @param inHand the tasks of the batch in hand
	 * @param ahead the tasks of each batch fetched ahead of the next one, as far as known
	 * (the most a call may bring while it is on its way)
	 * @return zero for at once
	 */
	Duration delay(int inHand, List<Integer> ahead) {
		if (this.nanosPerEvent < 0) {
			return Duration.ZERO;
		}
		double expected = expected(inHand);
		for (int tasks : ahead) {
			expected += expected(tasks);
		}
		double delay = expected - this.leadNanos;
		if (delay <= 0) {
			return Duration.ZERO;
		}
		return Duration.ofNanos((delay >= Long.MAX_VALUE) ? Long.MAX_VALUE : (long) delay);
	}

	private double expected(int tasks) {
		if (tasks <= 0) {
			return 0;
		}
		long slowest = 0;
		for (int i = 0; i < this.known; i++) {
			slowest = Math.max(slowest, this.recent[i]);
		}
		return Math.min(this.nanosPerEvent * tasks, slowest);
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

}
