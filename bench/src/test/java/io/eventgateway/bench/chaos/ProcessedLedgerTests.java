package io.eventgateway.bench.chaos;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledgers of several workers read as one. */
class ProcessedLedgerTests {

	@TempDir
	Path dir;

	@Test
	void deliveriesOfOneEventByDifferentWorkersAreInTheOrderTheyHappened() throws Exception {
		Path first = write("primary-worker-0.ledger", "a 1 3 300\n", "b 1 1 100\n");
		Path second = write("primary-worker-1.ledger", "a 1 3 200\n", "a 2 3 400 injected\n");

		ProcessedLedger ledger = ProcessedLedger.read(List.of(first, second));

		assertThat(ledger.lines()).isEqualTo(4);
		assertThat(ledger.deliveries("a")).extracting(ProcessedLedger.Delivery::atMicros)
			.containsExactly(200L, 300L, 400L);
		assertThat(ledger.duplicates("a")).isEqualTo(1);
		assertThat(ledger.processed("b")).isTrue();
	}

	@Test
	void aLineCutShortByAKillAndAMissingLedgerAreSkipped() throws Exception {
		Path cut = write("primary-worker-0.ledger", "a 1 3 300\n", "b 1");

		ProcessedLedger ledger = ProcessedLedger.read(List.of(cut, this.dir.resolve("rollout-worker-0.ledger")));

		assertThat(ledger.contains("a")).isTrue();
		assertThat(ledger.contains("b")).isFalse();
	}

	private Path write(String name, String... lines) throws Exception {
		Path file = this.dir.resolve(name);
		Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8);
		return file;
	}

}
