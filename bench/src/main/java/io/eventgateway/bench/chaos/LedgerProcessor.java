package io.eventgateway.bench.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;

/**
 * The chaos worker: appends {@code <event id> <attempt> <priority level> <epoch micros>}
 * to the ledger for every delivery before answering, so a {@code kill -9} right after
 * cannot lose the line (the write has reached the kernel), and fails every event whose
 * payload marks it as poison.
 */
final class LedgerProcessor implements EventProcessor {

	static final String POISON_MARK = "\"poison\":true";

	private final OutputStream ledger;

	LedgerProcessor(Path file) throws IOException {
		this.ledger = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	@Override
	public void process(Event event) throws IOException {
		long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		byte[] line = (event.getEventId() + " " + event.getAttempt() + " " + event.getPriorityLevel().getNumber() + " "
				+ micros + "\n")
			.getBytes(StandardCharsets.UTF_8);
		synchronized (this.ledger) {
			this.ledger.write(line);
		}
		if (event.getRawPayload().toStringUtf8().contains(POISON_MARK)) {
			throw new IllegalStateException("poison " + event.getEventId());
		}
	}

}
