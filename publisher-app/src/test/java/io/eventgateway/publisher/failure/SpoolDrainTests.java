package io.eventgateway.publisher.failure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.ProducerSettings;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the drain at stop leaves the spool alone. The producers point at a closed loopback
 * port: they connect on first send, which these cases never reach.
 */
class SpoolDrainTests {

	@TempDir
	Path directory;

	private final ClusterProducers unreachable = new ClusterProducers("primary", Map.of(), "127.0.0.1:9", lanes(),
			Runnable::run);

	@AfterEach
	void close() {
		this.unreachable.close();
	}

	@Test
	void anInstanceWithoutTheLockOfASharedSpoolLeavesItToTheHolder() throws Exception {
		DirectorySpool spool = spoolWithThreeEntries();
		SpoolReplayer replayer = new SpoolReplayer(spool, this.unreachable, Duration.ofSeconds(1), new NotHeld());

		int replayed = new SpoolDrain(replayer, Duration.ofSeconds(20), Clock.systemUTC()).drain();

		assertThat(replayed).isZero();
		assertThat(spool.keys()).hasSize(3);
	}

	@Test
	void aZeroDrainTimeSkipsTheDrain() throws Exception {
		DirectorySpool spool = spoolWithThreeEntries();
		SpoolReplayer replayer = new SpoolReplayer(spool, this.unreachable, Duration.ofSeconds(1),
				ReplayPermit.exclusive());

		int replayed = new SpoolDrain(replayer, Duration.ZERO, Clock.systemUTC()).drain();

		assertThat(replayed).isZero();
		assertThat(spool.keys()).hasSize(3);
	}

	private DirectorySpool spoolWithThreeEntries() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		for (int i = 0; i < 3; i++) {
			spool.write(TestEvents.event("kept-" + i, "acme", Priority.P30), "events.p30");
		}
		return spool;
	}

	private static Map<Lane, ProducerSettings> lanes() {
		Map<Lane, ProducerSettings> settings = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			settings.put(lane, new ProducerSettings(Duration.ZERO, DataSize.ofKilobytes(16), "none"));
		}
		return settings;
	}

	/** Another instance holds the lock. */
	private static final class NotHeld implements ReplayPermit {

		@Override
		public boolean isHeld() {
			return false;
		}

		@Override
		public boolean runWhileHeld(ReplayStep step) {
			return false;
		}

		@Override
		public boolean awaitHeld(Duration timeout) {
			return false;
		}

	}

}
