package io.eventgateway.publisher.failure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.ProducerSettings;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SpoolBacklogTests {

	@TempDir
	Path directory;

	private final ClusterProducers unreachable = new ClusterProducers("primary", Map.of(), "127.0.0.1:9", lanes(),
			Runnable::run);

	@AfterEach
	void close() {
		this.unreachable.close();
	}

	@Test
	void aDirectorySpoolIsListedByThePassesOfAnInstanceThatDoesNotReplayNotByReads() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		// Ninety seconds ahead of the clock the keys are written with.
		Clock later = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(90));
		SpoolBacklog backlog = new SpoolBacklog(spool, later, Duration.ofMinutes(5), true);
		SpoolReplayer replayer = new SpoolReplayer(spool, this.unreachable, Duration.ofSeconds(1), new NotHeld(),
				backlog);
		spool.write(TestEvents.event("one", "acme", Priority.P30), "events.p30");
		spool.write(TestEvents.event("two", "acme", Priority.P10), "events.p10");
		// Reading never lists: a scrape must not wait on the file system.
		assertThat(backlog.records()).isNaN();

		assertThat(replayer.replayAll()).isZero();

		assertThat(backlog.records()).isEqualTo(2);
		assertThat(backlog.oldestAgeSeconds()).isBetween(89.0, 120.0);
		spool.write(TestEvents.event("three", "acme", Priority.P10), "events.p10");
		assertThat(backlog.records()).isEqualTo(2);
	}

	@Test
	void withReplaysOffTheBacklogTaskListsEvenASpoolNotCheapToList() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ofMinutes(1), false);
		SpoolBacklogTask task = new SpoolBacklogTask(backlog, Duration.ofSeconds(30),
				LoopMonitor.standalone(Clock.systemUTC()));
		spool.write(TestEvents.event("waiting", "acme", Priority.P30), "events.p30");
		assertThat(backlog.records()).isNaN();

		task.runOnce();

		assertThat(backlog.records()).isEqualTo(1);
		task.failed(new IOException("unreadable"));
		assertThat(backlog.records()).isNaN();
	}

	@Test
	void aListingThatFailsMakesTheBacklogUnknownRatherThanTheLastOne() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		spool.write(TestEvents.event("kept", "acme", Priority.P30), "events.p30");
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ofMinutes(5), false);
		SpoolReplayer replayer = new SpoolReplayer(spool, this.unreachable, Duration.ofSeconds(1), new LostAtOnce(),
				backlog);
		replayer.replayAll();
		assertThat(backlog.records()).isEqualTo(1);

		try (var files = Files.list(this.directory)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(this.directory);
		assertThatExceptionOfType(IOException.class).isThrownBy(replayer::replayAll);

		assertThat(backlog.records()).isNaN();
		assertThat(backlog.oldestAgeSeconds()).isNaN();
	}

	@Test
	void aListingOlderThanItsMaxAgeIsUnknown() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		AtomicReference<Clock> now = new AtomicReference<>(Clock.systemUTC());
		Clock clock = new Clock() {

			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return now.get().instant();
			}

		};
		SpoolBacklog backlog = new SpoolBacklog(spool, clock, Duration.ofSeconds(90), false);
		backlog.observe(List.of());
		assertThat(backlog.records()).isZero();

		// Three replay intervals of 30 s without a pass that listed it.
		now.set(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(91)));
		assertThat(backlog.records()).isNaN();
		assertThat(backlog.oldestAgeSeconds()).isNaN();
	}

	@Test
	void aSpoolListedOnlyByReplayPassesIsUnknownUntilOneLeavesItsRest() throws Exception {
		DirectorySpool spool = new DirectorySpool(this.directory);
		for (int i = 0; i < 3; i++) {
			spool.write(TestEvents.event("kept-" + i, "acme", Priority.P30), "events.p30");
		}
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ofMinutes(5), false);
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
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ofMinutes(5), true);
		SpoolReplayer replayer = new SpoolReplayer(spool, this.unreachable, Duration.ofSeconds(1), new NotHeld(),
				backlog);
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new SpoolMeters(spool, replayer, backlog).bindTo(registry);
		assertThat(registry.scrape()).contains("gateway_publisher_spool_records NaN");

		replayer.replayAll();
		assertThat(registry.scrape()).contains("gateway_publisher_spool_records 0.0")
			.contains("gateway_publisher_spool_oldest_age_seconds 0.0")
			.contains("gateway_publisher_spool_replayed_total 0.0");
		spool.write(TestEvents.event("one", "acme", Priority.P30), "events.p30");
		replayer.replayAll();
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
		SpoolBacklog backlog = new SpoolBacklog(spool, Clock.systemUTC(), Duration.ofMinutes(5), true);
		backlog.observe(List.of());
		Files.delete(this.directory);

		backlog.listIfCheap();

		assertThat(backlog.records()).isNaN();
		assertThat(backlog.oldestAgeSeconds()).isNaN();
	}

	/** Held by another instance. */
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
