package io.eventgateway.ingest.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Holds events whose rule or whose {@code not_before} asks for a delay until they are
 * due, on a timer rather than on a request thread. A delay is capped at {@code maxDelay};
 * at most {@code maxPending} events wait at once, so a flood of delayed events cannot
 * exhaust the heap. A held event is not accepted yet: it is accepted once it is published
 * at its hand-off time, so a crash while it waits loses nothing the client was told was
 * stored.
 *
 * <p>
 * Thread-safe.
 */
public class HandOffScheduler {

	private final Duration maxDelay;

	private final int maxPending;

	private final ScheduledExecutorService timer;

	private final Clock clock;

	private final AtomicInteger pending = new AtomicInteger();

	/**
	 * @param maxDelay the longest an event is held
	 * @param maxPending the most events held at once
	 * @param timer runs hand-offs when due
	 * @param clock the time
	 */
	public HandOffScheduler(Duration maxDelay, int maxPending, ScheduledExecutorService timer, Clock clock) {
		this.maxDelay = maxDelay;
		this.maxPending = maxPending;
		this.timer = timer;
		this.clock = clock;
	}

	/**
	 * When an event received at {@code now} may be handed off: the later of its rule's
	 * delay and its own not-before time, but no later than {@code now + maxDelay}.
	 * @param ruleDelay the delay its classification rule asks for; zero for none
	 * @param notBefore the event's own earliest time, or {@code null}
	 */
	public Instant dueAt(Instant now, Duration ruleDelay, Instant notBefore) {
		Instant due = now.plus(ruleDelay);
		if (notBefore != null && notBefore.isAfter(due)) {
			due = notBefore;
		}
		Instant latest = now.plus(this.maxDelay);
		return due.isAfter(latest) ? latest : due;
	}

	/**
	 * Runs a hand-off of {@code events} events at {@code due}, or now when it is due
	 * already (on the calling thread).
	 * @return the hand-off's result; failed with {@link SchedulerFullException} when the
	 * events would be over the pending limit
	 */
	public <T> CompletableFuture<T> handOffAt(Instant due, int events, Supplier<T> handOff) {
		long delayMillis = Duration.between(this.clock.instant(), due).toMillis();
		if (delayMillis <= 0) {
			try {
				return CompletableFuture.completedFuture(handOff.get());
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		if (this.pending.addAndGet(events) > this.maxPending) {
			this.pending.addAndGet(-events);
			return CompletableFuture.failedFuture(new SchedulerFullException(this.maxPending));
		}
		CompletableFuture<T> result = new CompletableFuture<>();
		try {
			this.timer.schedule(() -> {
				this.pending.addAndGet(-events);
				try {
					result.complete(handOff.get());
				}
				catch (RuntimeException ex) {
					result.completeExceptionally(ex);
				}
			}, delayMillis, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			this.pending.addAndGet(-events);
			result.completeExceptionally(ex);
		}
		return result;
	}

	/** Events held now. */
	public int pending() {
		return this.pending.get();
	}

}
