package io.eventgateway.publisher.failure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.produce.ClusterProducers;
import io.eventgateway.publisher.produce.DelayRouting;
import io.eventgateway.publisher.produce.Lane;
import io.eventgateway.publisher.produce.LaneProducer;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolReplayerTests {

	@TempDir
	Path directory;

	@Test
	void aReplayedEventCarriesItsOrderingHeadersAndLeavesTheSpool() throws Exception {
		MockProducer<String, byte[]> offload = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer());
		Map<Lane, LaneProducer> lanes = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			lanes.put(lane, new LaneProducer((lane == Lane.OFFLOAD) ? offload : new MockProducer<>(), Runnable::run));
		}
		DirectorySpool spool = new DirectorySpool(this.directory);
		Event event = TestEvents.event("spooled-1", "acme", Priority.P10).toBuilder().setOffload(true).build();
		spool.write(event, "events.offload");
		SpoolReplayer replayer = new SpoolReplayer(spool, ClusterProducers.of("primary", lanes), Duration.ofSeconds(5),
				ReplayPermit.exclusive());

		assertThat(replayer.replayAll()).isEqualTo(1);

		assertThat(offload.history()).singleElement().satisfies((record) -> {
			assertThat(record.topic()).isEqualTo("events.offload");
			assertThat(Event.parseFrom(record.value())).isEqualTo(event);
			assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.EVENT_ID)).isEqualTo("spooled-1");
			assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.PRIORITY, -1)).isEqualTo(10);
			assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.SLO_DEADLINE))
				.isEqualTo(ProtoTime.instant(event.getSloDeadline()));
			assertThat(GatewayHeaders.getEpochNanos(record.headers(), GatewayHeaders.INGESTED_AT))
				.isEqualTo(ProtoTime.instant(event.getIngestedAt()));
		});
		assertThat(spool.keys()).isEmpty();
	}

	@Test
	void aReplayedDelayRecordNotYetDueGoesToTheTierForTheTimeLeft() throws Exception {
		Instant now = Instant.parse("2026-03-01T12:00:00Z");
		Instant due = now.plus(Duration.ofMinutes(3));
		// Spooled for the 10s tier, or for a 30s tier no longer configured: either way
		// three minutes are left.
		for (String intended : new String[] { "events.delay.10s", "events.delay.30s" }) {
			MockProducer<String, byte[]> p20 = replayDelayed(now, due, intended);

			assertThat(p20.history()).singleElement().satisfies((record) -> {
				assertThat(record.topic()).isEqualTo("events.delay.60s");
				assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.EVENT_ID))
					.isEqualTo("spooled-delay-1");
				assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.NOT_BEFORE, -1))
					.isEqualTo(now.plusSeconds(60).toEpochMilli());
				assertThat(GatewayHeaders.getLong(record.headers(), GatewayHeaders.DELAY_UNTIL, -1))
					.isEqualTo(due.toEpochMilli());
				assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.DELAYED_TO))
					.isEqualTo("events.p20");
			});
		}
	}

	@Test
	void aReplayedDelayRecordAlreadyDueGoesToItsLanesTopicWithoutDelayHeaders() throws Exception {
		Instant now = Instant.parse("2026-03-01T12:00:00Z");
		for (String intended : new String[] { "events.delay.60s", "events.delay.30s" }) {
			MockProducer<String, byte[]> p20 = replayDelayed(now, now.minusSeconds(5), intended);

			assertThat(p20.history()).singleElement().satisfies((record) -> {
				assertThat(record.topic()).isEqualTo("events.p20");
				assertThat(GatewayHeaders.getString(record.headers(), GatewayHeaders.EVENT_ID))
					.isEqualTo("spooled-delay-1");
				assertThat(record.headers().lastHeader(GatewayHeaders.NOT_BEFORE)).isNull();
				assertThat(record.headers().lastHeader(GatewayHeaders.DELAY_UNTIL)).isNull();
				assertThat(record.headers().lastHeader(GatewayHeaders.DELAYED_TO)).isNull();
			});
		}
	}

	private MockProducer<String, byte[]> replayDelayed(Instant now, Instant due, String intendedTopic)
			throws Exception {
		MockProducer<String, byte[]> p20 = new MockProducer<>(true, null, new StringSerializer(),
				new ByteArraySerializer());
		Map<Lane, LaneProducer> lanes = new EnumMap<>(Lane.class);
		for (Lane lane : Lane.values()) {
			lanes.put(lane, new LaneProducer((lane == Lane.P20) ? p20 : new MockProducer<>(), Runnable::run));
		}
		DirectorySpool spool = new DirectorySpool(Files.createTempDirectory(this.directory, "spool"));
		Event event = TestEvents.event("spooled-delay-1", "acme", Priority.P20)
			.toBuilder()
			.setNotBefore(ProtoTime.timestamp(due))
			.build();
		spool.write(event, intendedTopic);
		SpoolReplayer replayer = new SpoolReplayer(spool, ClusterProducers.of("primary", lanes), Duration.ofSeconds(5),
				ReplayPermit.exclusive(), SpoolBacklog.fromPassesOnly(spool),
				new DelayRouting(TopicLayout.defaults(), Clock.fixed(now, ZoneOffset.UTC)));

		assertThat(replayer.replayAll()).isEqualTo(1);
		assertThat(spool.keys()).isEmpty();
		return p20;
	}

}
