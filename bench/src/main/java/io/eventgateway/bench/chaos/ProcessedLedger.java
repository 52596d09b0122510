package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the chaos workers wrote: every delivery of every event, in order, each line
 * {@code <event id> <attempt> <priority level> <epoch micros> [injected]}.
 */
final class ProcessedLedger {

	private final Map<String, List<Delivery>> byEvent = new HashMap<>();

	private long lines;

	private ProcessedLedger() {
	}

	/** Reads the ledger file; a last line cut short by a kill is skipped. */
	static ProcessedLedger read(Path file) throws IOException {
		return read(List.of(file));
	}

	/**
	 * Reads the ledgers of several workers as one: each event's deliveries in the order
	 * the workers got them, whichever wrote them.
	 */
	static ProcessedLedger read(List<Path> files) throws IOException {
		ProcessedLedger ledger = new ProcessedLedger();
		for (Path file : files) {
			ledger.add(file);
		}
		if (files.size() > 1) {
			ledger.byEvent.values()
				.forEach((deliveries) -> deliveries.sort(Comparator.comparingLong(Delivery::atMicros)));
		}
		return ledger;
	}

	private void add(Path file) throws IOException {
		if (!Files.exists(file)) {
			return;
		}
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			String[] fields = line.split(" ");
			boolean injected = fields.length == 5 && LedgerProcessor.INJECTED.equals(fields[4]);
			if (fields.length != 4 && !injected) {
				continue;
			}
			this.byEvent.computeIfAbsent(fields[0], (id) -> new ArrayList<>())
				.add(new Delivery(Integer.parseInt(fields[1]), Integer.parseInt(fields[2]), Long.parseLong(fields[3]),
						injected));
			this.lines++;
		}
	}

	/** Deliveries of one event, oldest first; empty if it never reached a worker. */
	List<Delivery> deliveries(String eventId) {
		return this.byEvent.getOrDefault(eventId, List.of());
	}

	boolean contains(String eventId) {
		return this.byEvent.containsKey(eventId);
	}

	/**
	 * Whether a worker processed the event at least once without an injected failure: a
	 * delivery whose batch the fault failed does not count, the gateway must deliver it
	 * again.
	 */
	boolean processed(String eventId) {
		return deliveries(eventId).stream().anyMatch((delivery) -> !delivery.injected());
	}

	/**
	 * Deliveries of one event beyond the first of each attempt: what at-least-once cost
	 * for it.
	 */
	long duplicates(String eventId) {
		List<Delivery> deliveries = deliveries(eventId);
		return deliveries.size() - deliveries.stream().mapToInt(Delivery::attempt).distinct().count();
	}

	/** Deliveries in all. */
	long lines() {
		return this.lines;
	}

	/**
	 * One delivery to a worker.
	 *
	 * @param attempt the event's attempt number
	 * @param priorityLevel its priority level as the worker saw it (after any demotion)
	 * @param atMicros when the worker got it (epoch microseconds)
	 * @param injected whether an injected processor failure failed its batch
	 */
	record Delivery(int attempt, int priorityLevel, long atMicros, boolean injected) {
	}

}
