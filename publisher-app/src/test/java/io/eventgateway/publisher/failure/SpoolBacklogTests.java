package io.eventgateway.publisher.failure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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

class SpoolBacklogTests {

	@TempDir
	Path directory;

	private final ClusterProducers unreachable = new ClusterProducers("primary", Map.of(), "127.0.0.1:9", lanes());

	@AfterEach
	void close() {
		this.unreachable.close();
	}

	@Test
	void aDirectorySpoolIsListedWhenReadWithTheAgeOfItsOldestEvent() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		// Ninety seconds ahead of the clock the keys are written with.
		Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(90));
		SpoolBacklog backlog = new SpoolBacklog(spool, later, Duration.ZERO, true);
		assertThat(backlog.records()).isZero();
		assertThat(backlog.oldestAgeSeconds()).isZero();

		spool.write(TestEvents.event("one", "acme", Priority.P30), "events.p30");
		spool.write(TestEvents.event("two", "acme", Priority.P10), "events.p10");

		assertThat(backlog.records()).isEqualTo(2);
		assertThat(backlog.oldestAgeSeconds()).isBetween(89.0, 120.0);
	}

	@Test
	void aSpoolListedOnlyByReplayPassesIsUnknownUntilOneLeavesItsRest() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		for (int i = 0; i < 3; i++) {
			spool.write(TestEvents.event("kept-" + i, "acme", Priority.P30), "events.p30");
		}
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ZERO, false);
		assertThat(backlog.records()).isNaN();
		assertThat(backlog.oldestAgeSeconds()).isNaN();

		// The lock is lost before the first entry: the pass lists the spool and leaves
		// all of it.
		SpoolReplayer replayer = new SpoolReplayer(spool, this.unreachable, Duration.ofSeconds(1), new LostAtOnce(),
				backlog);
		assertThat(replayer.replayAll()).isZero();

		assertThat(backlog.records()).isEqualTo(3);
		assertThat(backlog.oldestAgeSeconds()).isGreaterThanOrEqualTo(0);
	}

	@Test
	void theBacklogIsScrapedUnderTheNamesTheAlertsUse() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ZERO, true);
		SpoolReplayer replayer = new SpoolReplayer(spool, this.unreachable, Duration.ofSeconds(1),
				ReplayPermit.exclusive(), backlog);
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new SpoolMeters(spool, replayer, backlog).bindTo(registry);

		assertThat(registry.scrape()).contains("gateway_publisher_spool_records 0.0")
			.contains("gateway_publisher_spool_oldest_age_seconds 0.0")
			.contains("gateway_publisher_spool_replayed_total 0.0");
		spool.write(TestEvents.event("one", "acme", Priority.P30), "events.p30");
		assertThat(registry.scrape()).contains("gateway_publisher_spool_records 1.0");
	}

	private static Map<Lane, ProducerSettings> lanes() {
		Map<Lane, ProducerSettings> settings = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			settings.put(lane, new ProducerSettings(Duration.ZERO, DataSize.ofKilobytes(16), "none"));
		}
		return settings;
	}

	@Test
	void aSpoolThatCannotBeListedIsUnknownRatherThanEmpty() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ZERO, true);
		Files.delete(this.directory);

		assertThat(backlog.records()).isNaN();
		assertThat(backlog.oldestAgeSeconds()).isNaN();
	}

	/** Held when asked, lost before the first step runs. */
	private static final class LostAtOnce implements ReplayPermit {

		@Override
		public boolean isHeld() {
			return true;
		}

		@Override
		public boolean runWhileHeld(ReplayStep step) {
			return false;
		}

		@Override
		public boolean awaitHeld(Duration timeout) {
			return true;
		}

	}

}
