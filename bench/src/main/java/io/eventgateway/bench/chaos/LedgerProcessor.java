package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;

/**
 * The chaos worker: appends {@code <event id> <attempt> <priority level> <epoch micros>}
 * to the ledger for every delivery before answering, so a {@code kill -9} right after
 * cannot lose the line (the write has reached the kernel), and fails every event whose
 * payload marks it as poison.
 *
 * <p>
 * While its {@link FaultSwitch} is on it also misbehaves as a user's processor might:
 * some batches fail as a whole (their lines end in {@value #INJECTED}, since the worker
 * cannot have answered them as processed), or take longer than a lease. Thread-safe.
 */
final class LedgerProcessor implements EventProcessor {

	static final String POISON_MARK = "\"poison\":true";

	/** The fifth field of a line whose delivery the injected fault failed. */
	static final String INJECTED = "injected";

	/** Under {@link FaultSwitch.Mode#SLOW}, one batch in this many is slow. */
	private static final int SLOW_EVERY = 4;

	/**
	 * Under {@link FaultSwitch.Mode#PROCESSOR_ERRORS}: three kinds of failure, then one
	 * good batch.
	 */
	private static final int FAILURE_KINDS = 4;

	private final OutputStream ledger;

	private final @Nullable FaultSwitch faultSwitch;

	private final AtomicLong faultedBatches = new AtomicLong();

	/**
	 * @param file the ledger file
	 * @param faultSwitch the switch the harness turns faults on with, or {@code null}
	 */
	LedgerProcessor(Path file, @Nullable FaultSwitch faultSwitch) throws IOException {
		this.ledger = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		this.faultSwitch = faultSwitch;
	}

	@Override
	public void process(Event event) throws IOException {
		record(event, false);
		failIfPoison(event);
	}

	@Override
	public List<ProcessingOutcome> processBatch(List<Event> events) {
		FaultSwitch.State state = (this.faultSwitch != null) ? this.faultSwitch.state() : FaultSwitch.State.OFF;
		if (state.mode() == FaultSwitch.Mode.PROCESSOR_ERRORS && !holdsLastAttempt(events, state.argument())) {
			long kind = this.faultedBatches.getAndIncrement() % FAILURE_KINDS;
			if (kind < FAILURE_KINDS - 1) {
				return fail(events, kind);
			}
		}
		if (state.mode() == FaultSwitch.Mode.SLOW && this.faultedBatches.getAndIncrement() % SLOW_EVERY == 0) {
			takeLong(state.argument());
		}
		return EventProcessor.super.processBatch(events);
	}

	/**
	 * Fails a batch in one of three ways, after recording its deliveries: the worker's
	 * ledger line is written before the answer, as for any delivery.
	 */
	private List<ProcessingOutcome> fail(List<Event> events, long kind) {
		List<ProcessingOutcome> outcomes = new ArrayList<>(events.size());
		for (Event event : events) {
			record(event, true);
			try {
				failIfPoison(event);
				outcomes.add(ProcessingOutcome.ack());
			}
			catch (IllegalStateException ex) {
				outcomes.add(ProcessingOutcome.nack(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
			}
		}
		if (kind == 0) {
			throw new IllegalStateException("injected failure of a batch of " + events.size());
		}
		if (kind == 1) {
			throw new AssertionError("injected");
		}
		return outcomes.subList(0, outcomes.size() - 1);
	}

	/**
	 * Whether the batch holds an event on its last attempt: failing it would dead-letter
	 * a healthy event, which the check forbids, so such batches are spared.
	 */
	private static boolean holdsLastAttempt(List<Event> events, long lastAttempt) {
		return events.stream().anyMatch((event) -> event.getAttempt() >= lastAttempt);
	}

	private static void takeLong(long millis) {
		try {
			// The injected fault itself: a processor busy for longer than its lease.
			TimeUnit.MILLISECONDS.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void record(Event event, boolean injected) {
		long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		byte[] line = (event.getEventId() + " " + event.getAttempt() + " " + event.getPriorityLevel().getNumber() + " "
				+ micros + (injected ? " " + INJECTED : "") + "\n")
			.getBytes(StandardCharsets.UTF_8);
		try {
			synchronized (this.ledger) {
				this.ledger.write(line);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void failIfPoison(Event event) {
		if (event.getRawPayload().toStringUtf8().contains(POISON_MARK)) {
			throw new IllegalStateException("poison " + event.getEventId());
		}
	}

}
