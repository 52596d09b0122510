package io.eventgateway.publisher.failure;

import java.nio.file.Path;
import java.time.Duration;
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
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.produce.ClusterProducers;
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

}
