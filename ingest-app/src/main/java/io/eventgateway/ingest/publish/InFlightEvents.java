package io.eventgateway.ingest.publish;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the events handed to the publisher and not answered yet. Each such event holds
 * its decoded and its encoded bytes until the publisher answers; without a bound, a slow
 * publisher would let requests pile up until the heap runs out. A request over the bound
 * is refused before any of its events is published, so a refusal never loses an event
 * that was accepted.
 *
 * <p>
 * Thread-safe and lock-free.
 */
public final class InFlightEvents {

	/** The setting naming the bound, for messages. */
	public static final String SETTING = "gateway.ingest.publisher.max-in-flight-events";

	private final long limit;

	private final AtomicLong inFlight = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	/**
	 * @param limit the most events in flight at once
	 */
	public InFlightEvents(long limit) {
		if (limit < 1) {
			throw new IllegalArgumentException(SETTING + " must be at least 1, was " + limit);
		}
		this.limit = limit;
	}

	/** No bound, for callers that bound their requests themselves. */
	public static InFlightEvents unbounded() {
		return new InFlightEvents(Long.MAX_VALUE);
	}

	/**
	 * Takes room for {@code events} events, or refuses them all.
	 * @return whether the events may be published; if so, {@link #release} must be called
	 * for each of them once it is answered or failed
	 */
	public boolean tryAcquire(int events) {
		long current;
		do {
			current = this.inFlight.get();
			if (current + events > this.limit) {
				this.refused.incrementAndGet();
				return false;
			}
		}
		while (!this.inFlight.compareAndSet(current, current + events));
		return true;
	}

	/** Gives back the room of {@code events} events that are answered or failed. */
	public void release(int events) {
		this.inFlight.addAndGet(-events);
	}

	/** The most events in flight at once. */
	public long limit() {
		return this.limit;
	}

	/** Events in flight now. */
	public long inFlight() {
		return this.inFlight.get();
	}

	/** Requests refused so far for being over the limit. */
	public long refused() {
		return this.refused.get();
	}

}
