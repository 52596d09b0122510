package io.eventgateway.publisher.failure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.core.instrument.MeterRegistry;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.common.test.TopicReader;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.publisher.PublisherApplication;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A publisher that stops replays its spool first: with periodic replay off, only the
 * drain at stop can have moved the spooled events to their topics. For a shared spool,
 * the drain runs while the instance still holds the replay lock.
 */
class SpoolDrainIT {

	private static final String PREFIX = "drain-it";

	@TempDir
	Path spool;

	@Test
	void aStoppingPublisherDrainsItsSpoolIntoTheReachablePrimary() throws Exception {
		DirectorySpool spooled = spoolWith(40, "drained-", PREFIX);
		ConfigurableApplicationContext publisher = publisher(PREFIX, false);
		assertThat(spooled.keys()).hasSize(40);

		publisher.close();

		assertThat(spooled.keys()).isEmpty();
		assertThat(delivered(PREFIX, 40)).hasSize(40).allMatch((id) -> id.startsWith("drained-"));
	}

	@Test
	void aStoppingPublisherHoldingTheLockOfASharedSpoolDrainsItBeforeLettingTheLockGo() throws Exception {
		DirectorySpool spooled = spoolWith(20, "shared-drained-", PREFIX + "-shared");
		ConfigurableApplicationContext publisher = publisher(PREFIX + "-shared", true);
		await().atMost(Duration.ofSeconds(60)).until(() -> publisher.getBean(ReplayPermit.class).isHeld());
		assertThat(publisher.getBean(MeterRegistry.class).get("gateway.publisher.spool.replayer").gauge().value())
			.isEqualTo(1.0);
		assertThat(spooled.keys()).hasSize(20);

		publisher.close();

		assertThat(spooled.keys()).isEmpty();
		assertThat(delivered(PREFIX + "-shared", 20)).hasSize(20).allMatch((id) -> id.startsWith("shared-drained-"));
	}

	private DirectorySpool spoolWith(int entries, String idPrefix, String topicPrefix) throws Exception {
		DirectorySpool spooled = new DirectorySpool(this.spool);
		for (int i = 0; i < entries; i++) {
			Priority priority = (i % 2 == 0) ? Priority.P30 : Priority.P10;
			spooled.write(TestEvents.event(idPrefix + i, "acme", priority), topicPrefix + ".p" + priority.level());
		}
		return spooled;
	}

	/** With periodic replay off, so that only the drain at stop replays. */
	private ConfigurableApplicationContext publisher(String topicPrefix, boolean shared) {
		return GatewayApplications.builder(PublisherApplication.class, PublisherApplication.ROLE)
			.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
					"--spring.grpc.server.port=0", "--spring.main.banner-mode=off", "--spring.cloud.bus.enabled=false",
					"--gateway.topics.prefix=" + topicPrefix, "--gateway.topics.partitions=1",
					"--gateway.publisher.spool.directory=" + this.spool, "--gateway.publisher.spool.shared=" + shared,
					"--gateway.publisher.spool.replay-interval=0s", "--gateway.publisher.spool.drain-on-stop=30s");
	}

	private static Set<String> delivered(String topicPrefix, int entries) throws Exception {
		Set<String> delivered = new HashSet<>();
		for (String topic : List.of(topicPrefix + ".p30", topicPrefix + ".p10")) {
			for (ConsumerRecord<String, byte[]> record : TopicReader.read(topic, entries / 2, Duration.ofSeconds(60))) {
				delivered.add(Event.parseFrom(record.value()).getEventId());
			}
		}
		return delivered;
	}

}
