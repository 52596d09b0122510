package io.eventgateway.worker.fetch;

import java.time.Duration;

/**
 * When a fetch loop starts fetching the batch after the one in hand: a lead before the
 * batch in hand is expected to end, going by how long the processor took per event on the
 * batches before it.
 *
 * <p>
 * Fetching at once leases the next batch a whole batch early, so an urgent event that
 * reaches the orchestrator meanwhile waits behind both batches; fetching only once the
 * batch in hand is answered leaves the processor idle through a FetchTasks call. The lead
 * covers that call. Without an estimate (no batch processed yet), or when the batch in
 * hand is expected to take less than the lead, the next batch is fetched at once. An
 * estimate that is too long costs at most one FetchTasks call of idling, as without
 * prefetch; one that is too short fetches early, as before.
 *
 * <p>
 * Not thread-safe: used from its fetch loop's thread only.
 */
final class PrefetchTiming {

	private final long leadNanos;

	/**
	 * The processor's time per event, smoothed over the batches so far; negative until
	 * the first.
	 */
	private double nanosPerEvent = -1;

	/**
	 * @param lead how long before the batch in hand is expected to end its successor is
	 * fetched; not negative
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
	}

	/**
	 * How long after a batch is taken to start fetching the next one.
	 * @param events the tasks of the batch in hand
	 * @return zero for at once
	 */
	Duration delay(int events) {
		if (this.nanosPerEvent < 0 || events <= 0) {
			return Duration.ZERO;
		}
		double delay = this.nanosPerEvent * events - this.leadNanos;
		if (delay <= 0) {
			return Duration.ZERO;
		}
		return Duration.ofNanos((delay >= Long.MAX_VALUE) ? Long.MAX_VALUE : (long) delay);
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
