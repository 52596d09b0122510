package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A fault the harness switches on inside the worker's process, through a small file: the
 * harness writes the wanted state, the worker's processor reads it at most every
 * {@value #POLL_MILLIS} ms. A file keeps the control channel out of the roles (no
 * endpoint, no restart) and works across the process boundary.
 *
 * <p>
 * The file holds one line, {@code <mode> <argument>}; no file, or an empty one, means no
 * fault. Thread-safe.
 */
final class FaultSwitch {

	static final long POLL_MILLIS = 100;

	private final Path file;

	private volatile State state = State.OFF;

	private volatile long readAtNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);

	FaultSwitch(Path file) {
		this.file = file;
	}

	/**
	 * Switches a fault on or off; the write is atomic, so a reader sees all or nothing.
	 */
	static void set(Path file, State state) {
		try {
			Path next = file.resolveSibling(file.getFileName() + ".next");
			Files.writeString(next, state.mode().name() + " " + state.argument() + "\n", StandardCharsets.UTF_8);
			Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The state now, read from the file if the last read is older than the poll interval.
	 */
	State state() {
		long now = System.nanoTime();
		if (now - this.readAtNanos >= TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)) {
			this.readAtNanos = now;
			this.state = read();
		}
		return this.state;
	}

	private State read() {
		try {
			String[] fields = Files.readString(this.file, StandardCharsets.UTF_8).trim().split(" ");
			return (fields.length == 2) ? new State(Mode.valueOf(fields[0]), Long.parseLong(fields[1])) : State.OFF;
		}
		catch (NoSuchFileException ex) {
			return State.OFF;
		}
		catch (IOException | IllegalArgumentException ex) {
			// A half-written file cannot happen (atomic move); anything else unreadable
			// means no fault rather than a broken worker.
			return State.OFF;
		}
	}

	/** What the worker's processor does while the switch is on. */
	enum Mode {

		/** Behave. */
		OFF,

		/**
		 * Fail some batches: throw an exception, throw an error, or return one outcome
		 * too few, in turn; the argument is the last attempt number, whose batches are
		 * spared so that a healthy event cannot be dead-lettered by the injection alone.
		 */
		PROCESSOR_ERRORS,

		/** Take the argument's milliseconds over some batches. */
		SLOW

	}

	/**
	 * One state of the switch.
	 *
	 * @param mode what the processor does
	 * @param argument the mode's argument
	 */
	record State(Mode mode, long argument) {

		static final State OFF = new State(Mode.OFF, 0);

	}

}
