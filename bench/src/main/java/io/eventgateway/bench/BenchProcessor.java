package io.eventgateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.eventgateway.common.event.Priority;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;

/**
 * The benchmark's worker: records each event's latency from its intended send time (in
 * its payload), under the priority the load offered it at (its event type: the gateway
 * may demote an event, and the FIFO baseline gives every event one priority), and its id
 * in the ledger; with a capacity, it takes a fixed share of a second per event, as a
 * pipeline that can process only so much would. The capacity can be lifted for a warm-up
 * at the rate a run will offer ({@link #lift}).
 *
 * <p>
 * Thread-safe: the gateway's worker loops and the FIFO baseline's consumer call it.
 */
final class BenchProcessor implements EventProcessor {

	private static final byte[] SENT = "\"sent\":".getBytes(StandardCharsets.US_ASCII);

	private volatile Latencies latencies = new Latencies();

	private volatile ProcessedSeries series = new ProcessedSeries(System.nanoTime());

	private final Set<String> processed = ConcurrentHashMap.newKeySet();

	private final long nanosPerEvent;

	private final AtomicLong nextFree = new AtomicLong(System.nanoTime());

	/**
	 * Whether the capacity holds: lifted while a warm-up runs at the measured rate, so
	 * that it leaves no backlog behind.
	 */
	private volatile boolean limited = true;

	/**
	 * @param capacityPerSecond events per second it can process; 0 for no limit
	 */
	BenchProcessor(int capacityPerSecond) {
		this.nanosPerEvent = (capacityPerSecond > 0) ? 1_000_000_000L / capacityPerSecond : 0;
	}

	@Override
	public void process(Event event) {
		if (this.nanosPerEvent > 0 && this.limited) {
			// Each event takes its slot of the capacity, whichever loop processes it.
			long slot = this.nextFree.accumulateAndGet(this.nanosPerEvent,
					(free, cost) -> Math.max(free, System.nanoTime()) + cost);
			// parkNanos may return early: an event never takes less than its slot.
			for (long wait = slot - System.nanoTime(); wait > 0; wait = slot - System.nanoTime()) {
				LockSupport.parkNanos(wait);
				if (Thread.currentThread().isInterrupted()) {
					// Stopping: parking would return at once, and the loop spin.
					break;
				}
			}
		}
		if (this.processed.add(event.getEventId())) {
			long sentMicros = sentMicros(event.getRawPayload().toByteArray());
			long now = System.nanoTime();
			Priority priority = offeredPriority(event);
			long latencyMicros = TimeUnit.NANOSECONDS.toMicros(now) - sentMicros;
			this.latencies.record(priority, latencyMicros);
			this.series.record(now, priority, latencyMicros);
		}
	}

	/**
	 * The priority the load asked for: the one its event type maps to under the default
	 * classifier rules ({@link IngestRequests#eventType}), else the one the event
	 * carries.
	 */
	static Priority offeredPriority(Event event) {
		for (Priority priority : Priority.values()) {
			if (event.getEventType().startsWith(IngestRequests.eventType(priority, ""))) {
				return priority;
			}
		}
		return Priority.fromProto(event.getPriorityLevel());
	}

	/** Waits until every accepted event was processed; returns how many were not. */
	long awaitProcessed(Set<String> accepted, Duration timeout) throws InterruptedException {
		return awaitProcessed(accepted, timeout, () -> true);
	}

	/**
	 * Waits as {@link #awaitProcessed(Set, Duration)} does, but only as long as
	 * {@code worthWaiting} holds (for example, while a role the events need is alive).
	 */
	long awaitProcessed(Set<String> accepted, Duration timeout, BooleanSupplier worthWaiting)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline && worthWaiting.getAsBoolean()) {
			if (this.processed.containsAll(accepted)) {
				return 0;
			}
			Thread.sleep(100);
		}
		return accepted.stream().filter((id) -> !this.processed.contains(id)).count();
	}

	/**
	 * Processes without the capacity until {@link #limitAgain}: a warm-up at the rate the
	 * run will offer then compiles the same code at the same rate, and leaves nothing
	 * behind to drain.
	 */
	void lift() {
		this.limited = false;
	}

	/** Takes the capacity up again, from now. */
	void limitAgain() {
		this.nextFree.set(System.nanoTime());
		this.limited = true;
	}

	/** Forgets what was recorded so far (the warm-up). */
	void reset() {
		this.latencies = new Latencies();
		this.series = new ProcessedSeries(System.nanoTime());
		this.processed.clear();
		this.nextFree.set(System.nanoTime());
	}

	Latencies latencies() {
		return this.latencies;
	}

	/**
	 * What was processed each second since start or the last reset (counts per offered
	 * priority, P30 p50/p99), for the per-second series.
	 */
	List<ProcessedSeries.ProcessedSecond> perSecond() {
		return this.series.seconds();
	}

	Set<String> processed() {
		return this.processed;
	}

	/** The intended send time ({@code System.nanoTime} in microseconds) in a payload. */
	static long sentMicros(byte[] payload) {
		int at = indexOf(payload, SENT);
		long value = 0;
		for (int i = at + SENT.length; at >= 0 && i < payload.length && Character.isDigit(payload[i]); i++) {
			value = value * 10 + (payload[i] - '0');
		}
		return value;
	}

	private static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
