package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events near ingest's size limit, more of them than fit one gRPC message, with a worker
 * asking for many tasks per batch: the orchestrator splits them over leases the worker
 * can receive, so every event is processed exactly once and no lease expires.
 */
class BigEventsIT {

	private static final String PREFIX = "big-events";

	private static final int PARTITIONS = 2;

	private static final int EVENTS = 30;

	/** Just below ingest's default max-event-bytes (256KB), JSON quoting included. */
	private static final int PAYLOAD_BYTES = 250 * 1024;

	/**
	 * The worker's inbound limit, set explicitly to gRPC's default so that the test does
	 * not depend on the worker's configured default: 30 events of 250KB are 7.5MB, which
	 * would never reach the worker as one lease.
	 */
	private static final DataSize WORKER_INBOUND = DataSize.ofMegabytes(4);

	private static final DataSize FETCH_MAX_BYTES = DataSize.ofMegabytes(3);

	private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

	private final List<Integer> batchBytes = new CopyOnWriteArrayList<>();

	private GatewayCluster cluster;

	@BeforeEach
	void start() {
		EventProcessor processor = new EventProcessor() {

			@Override
			public void process(Event event) {
				BigEventsIT.this.deliveries.computeIfAbsent(event.getEventId(), (id) -> new AtomicInteger())
					.incrementAndGet();
			}

			@Override
			public List<ProcessingOutcome> processBatch(List<Event> events) {
				BigEventsIT.this.batchBytes.add(events.stream().mapToInt(Event::getSerializedSize).sum());
				return EventProcessor.super.processBatch(events);
			}

		};
		this.cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=" + PARTITIONS,
							"--gateway.orchestrator.consumer-group=" + PREFIX,
							"--gateway.orchestrator.fetch.max-bytes=" + FETCH_MAX_BYTES.toBytes() + "B",
							"--gateway.orchestrator.lease.timeout=10s", "--gateway.worker.max-tasks-per-batch=200",
							"--spring.grpc.client.channels.orchestrator.max-inbound-message-size="
									+ WORKER_INBOUND.toBytes() + "B")),
					true, processor);
	}

	@AfterEach
	void stop() {
		this.cluster.close();
	}

	@Test
	void eventsAtTheSizeLimitAreSplitOverLeasesTheWorkerCanReceive() throws Exception {
		assertThat(this.cluster.orchestrator().getBean(GrpcServerProperties.class).getMaxInboundMessageSize())
			.as("the orchestrator's explicit inbound limit binds")
			.isEqualTo(DataSize.ofMegabytes(16));
		IngestClient ingest = new IngestClient(this.cluster.ingestHttpPort());
		Set<String> sent = new HashSet<>();
		String blob = "x".repeat(PAYLOAD_BYTES);
		// Several requests: one request may carry at most ingest's max-request-bytes
		// (5MB).
		for (int request = 0; request < 3; request++) {
			List<String> batch = new ArrayList<>();
			for (int i = 0; i < EVENTS / 3; i++) {
				String id = "big-" + request + "-" + i;
				sent.add(id);
				batch.add(bigEvent(id, (i % 2 == 0) ? "trigger.x" : "bulk.x", blob));
			}
			HttpResponse<String> response = ingest.post(batch);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			assertThat(response.body()).contains("\"accepted\":" + (EVENTS / 3) + ",\"rejected\":0");
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> this.deliveries.keySet().containsAll(sent));
		List<TopicPartition> partitions = KafkaChecks.priorityPartitions(PREFIX, PARTITIONS);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(KafkaChecks.committedOffsets(PREFIX, partitions))
				.isEqualTo(KafkaChecks.endOffsets(partitions)));

		assertThat(this.deliveries.keySet()).isEqualTo(sent);
		assertThat(this.deliveries.values()).as("deliveries per event").allMatch((count) -> count.get() == 1);
		assertThat(this.batchBytes).as("batch sizes").hasSizeGreaterThanOrEqualTo(3);
		assertThat(this.batchBytes).allMatch((bytes) -> bytes <= FETCH_MAX_BYTES.toBytes());
		MeterRegistry registry = this.cluster.orchestrator().getBean(MeterRegistry.class);
		assertThat(registry.get("gateway.orchestrator.leases.expired").functionCounter().count()).isZero();
		assertThat(registry.get("gateway.orchestrator.tasks.acked").functionCounter().count()).isEqualTo(EVENTS);
	}

	private static String bigEvent(String id, String eventType, String blob) {
		return "{\"event_id\":\"" + id + "\",\"company_id\":\"company\",\"event_type\":\"" + eventType
				+ "\",\"source\":\"it\",\"payload\":{\"id\":\"" + id + "\",\"blob\":\"" + blob + "\"}}";
	}

}
