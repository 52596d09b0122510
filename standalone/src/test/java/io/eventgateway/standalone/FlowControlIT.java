package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.FlowControlSignal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * AIMD end to end: a DECREASE on the flow-control topic lowers ingest's P10 admission
 * rate, P10 events over it go to the offload topic, INCREASE signals bring the rate back,
 * and every offloaded event is still processed. The orchestrator's own signals are slowed
 * down so that only the test's move the rate.
 */
class FlowControlIT {

	private static final String PREFIX = "aimd";

	private static final RecordingProcessor processor = new RecordingProcessor();

	private static GatewayCluster cluster;

	private static IngestClient ingest;

	private static KafkaProducer<String, byte[]> producer;

	@BeforeAll
	static void start() {
		cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.orchestrator.consumer-group=" + PREFIX,
							"--gateway.orchestrator.flow-control.interval=1h", "--gateway.ingest.aimd.initial-rate=50",
							"--gateway.ingest.aimd.ceiling=50", "--gateway.ingest.aimd.floor=1",
							"--gateway.ingest.aimd.alpha=10", "--gateway.ingest.aimd.beta=0.02")),
					true, processor);
		ingest = new IngestClient(cluster.ingestHttpPort());
		producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer());
	}

	@AfterAll
	static void stop() {
		if (producer != null) {
			producer.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void decreaseOffloadsP10AndIncreaseRestoresTheRateWithNothingLost() throws Exception {
		// Ingest reads signals from the newest on, so signal until it has heard one.
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> signal(FlowControlSignal.Kind.DECREASE) <= 1.0);

		Set<String> sent = new HashSet<>();
		List<String> batch = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			sent.add("bulk-" + i);
			batch.add(IngestClient.event("bulk-" + i, "acme-" + (i % 3), "bulk.sync"));
		}
		HttpResponse<String> response = ingest.post(batch);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"accepted\":30,\"rejected\":0");

		List<Event> offloaded = new ArrayList<>();
		for (var record : KafkaChecks.read(PREFIX + ".offload", 25, Duration.ofSeconds(30))) {
			offloaded.add(Event.parseFrom(record.value()));
		}
		assertThat(offloaded).allSatisfy((event) -> {
			assertThat(event.getOffload()).isTrue();
			assertThat(event.getTagsMap()).containsEntry("admission", "offload");
		});

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> signal(FlowControlSignal.Kind.INCREASE) >= 50.0);
		await().atMost(Duration.ofSeconds(60)).until(() -> processor.processedIds().containsAll(sent));
	}

	/** Sends one signal and returns the admission rate ingest reports after it. */
	private double signal(FlowControlSignal.Kind kind) throws Exception {
		producer
			.send(new ProducerRecord<>(PREFIX + ".flow-control", "test",
					FlowControlSignal.newBuilder().setKind(kind).setReason("test").build().toByteArray()))
			.get();
		return admissionRate();
	}

	private double admissionRate() throws Exception {
		return ((Number) ActuatorClient.at(new ActuatorClient(cluster.ingest()).gateway(), "aimd.p10AdmissionRate"))
			.doubleValue();
	}

}
