package io.eventgateway.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.worker.processor.EventProcessor;
import io.eventgateway.worker.processor.ProcessingOutcome;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker keeps going whatever its processor does: batches that fail as a whole are
 * NACKed and retried while the worker stays live, batches slower than the lease keep
 * their lease, a dry-run worker hands its tasks back instead of letting them expire, and
 * a processor that hangs turns the worker's liveness DOWN.
 */
class WorkerResilienceIT {

	private static final Duration LEASE = Duration.ofSeconds(2);

	private final HttpClient http = HttpClient.newHttpClient();

	private GatewayCluster cluster;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void batchesTheProcessorFailsAreRetriedUntilEveryEventIsAckedAndTheWorkerStaysLive() throws Exception {
		Set<String> acked = ConcurrentHashMap.newKeySet();
		AtomicInteger batches = new AtomicInteger();
		EventProcessor processor = new EventProcessor() {

			@Override
			public void process(Event event) {
				acked.add(event.getEventId());
			}

			@Override
			public List<ProcessingOutcome> processBatch(List<Event> events) {
				// The first three batches fail as a whole, each in its own way.
				return switch (batches.getAndIncrement()) {
					case 0 -> throw new IllegalStateException("database down");
					case 1 -> throw new AssertionError("processor bug");
					case 2 -> List.of();
					default -> EventProcessor.super.processBatch(events);
				};
			}

		};
		String prefix = "worker-failures-it";
		this.cluster = start(prefix, processor, "--gateway.worker.max-tasks-per-batch=5");
		Set<String> sent = post(prefix, 40);

		await().atMost(Duration.ofSeconds(60)).until(() -> workerStats().processorFailures() == 3);
		assertThat(liveness(this.cluster.worker())).isEqualTo(200);
		await().atMost(Duration.ofSeconds(60)).until(() -> acked.containsAll(sent));

		assertThat(liveness(this.cluster.worker())).isEqualTo(200);
		Map<String, Object> orchestrator = new ActuatorClient(this.cluster.orchestrator()).gateway();
		assertThat(ActuatorClient.at(orchestrator, "tasks.deadLettered")).isEqualTo(0);
		assertThat(ActuatorClient.at(orchestrator, "tasks.poisoned")).isEqualTo(0);
		List<TopicPartition> partitions = KafkaChecks.priorityPartitions(prefix, 2);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(KafkaChecks.committedOffsets(prefix, partitions))
				.isEqualTo(KafkaChecks.endOffsets(partitions)));
	}

	@Test
	void batchesThreeTimesSlowerThanTheLeaseAreProcessedExactlyOnce() throws Exception {
		Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
		// Never counted down: each batch takes PROCESSING, three lease timeouts.
		CountDownLatch never = new CountDownLatch(1);
		Duration processing = LEASE.multipliedBy(3);
		EventProcessor processor = new EventProcessor() {

			@Override
			public void process(Event event) {
				deliveries.computeIfAbsent(event.getEventId(), (id) -> new AtomicInteger()).incrementAndGet();
			}

			@Override
			public List<ProcessingOutcome> processBatch(List<Event> events) {
				try {
					never.await(processing.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return EventProcessor.super.processBatch(events);
			}

		};
		String prefix = "worker-slow-it";
		this.cluster = start(prefix, processor, "--gateway.worker.max-tasks-per-batch=10");
		Set<String> sent = post(prefix, 20);

		await().atMost(Duration.ofSeconds(90)).until(() -> deliveries.keySet().containsAll(sent));

		assertThat(deliveries).allSatisfy((id, count) -> assertThat(count).as("deliveries of %s", id).hasValue(1));
		Map<String, Object> orchestrator = new ActuatorClient(this.cluster.orchestrator()).gateway();
		assertThat(ActuatorClient.at(orchestrator, "leases.expired")).isEqualTo(0);
		assertThat((Integer) ActuatorClient.at(orchestrator, "leases.renewed")).isPositive();
		assertThat(ActuatorClient.at(orchestrator, "tasks.poisoned")).isEqualTo(0);
		assertThat(ActuatorClient.at(orchestrator, "tasks.retried")).isEqualTo(0);
		assertThat(ActuatorClient.at(orchestrator, "tasks.deadLettered")).isEqualTo(0);
		assertThat(liveness(this.cluster.worker())).isEqualTo(200);
	}

	@Test
	void aDryRunWorkerReleasesItsTasksSoNoneExpiresIsRetriedOrCommitted() throws Exception {
		String prefix = "worker-dry-run-it";
		this.cluster = start(prefix, null, "--gateway.worker.execute=false", "--gateway.worker.max-tasks-per-batch=10");
		post(prefix, 20);

		await().atMost(Duration.ofSeconds(60)).until(() -> released(workerStats()) >= 20);
		ActuatorClient orchestrator = new ActuatorClient(this.cluster.orchestrator());
		// Over several lease timeouts, nothing is counted against the released tasks.
		await().during(LEASE.multipliedBy(3)).atMost(LEASE.multipliedBy(5)).untilAsserted(() -> {
			Map<String, Object> state = orchestrator.gateway();
			assertThat(ActuatorClient.at(state, "leases.expired")).isEqualTo(0);
			assertThat(ActuatorClient.at(state, "tasks.nacked")).isEqualTo(0);
			assertThat(ActuatorClient.at(state, "tasks.retried")).isEqualTo(0);
			assertThat(ActuatorClient.at(state, "tasks.poisoned")).isEqualTo(0);
		});
		List<TopicPartition> partitions = KafkaChecks.priorityPartitions(prefix, 2);
		assertThat(KafkaChecks.committedOffsets(prefix, partitions).values()).allMatch((offset) -> offset == 0);
		assertThat(liveness(this.cluster.worker())).isEqualTo(200);
	}

	@Test
	void aProcessorStuckPastTheProcessingLimitTurnsLivenessDownNamingTheLoopUntilItReturns() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		EventProcessor processor = (event) -> release.await();
		String prefix = "worker-stuck-it";
		this.cluster = start(prefix, processor, "--gateway.worker.max-processing-time=1s",
				"--gateway.worker.max-tasks-per-batch=1");
		post(prefix, 1);

		// Stalled after max-wait + 10 s + max-processing-time + 30 s without an
		// iteration.
		await().atMost(Duration.ofSeconds(90)).until(() -> liveness(this.cluster.worker()) == 503);
		HttpResponse<String> down = new ActuatorClient(this.cluster.worker()).get("health/liveness");
		assertThat(down.body()).contains("fetch-loop-0").contains("STALLED");

		release.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> liveness(this.cluster.worker()) == 200);
	}

	private static GatewayCluster start(String prefix, EventProcessor processor, String... workerArgs) {
		List<String> args = new ArrayList<>(
				List.of("--gateway.topics.prefix=" + prefix, "--gateway.topics.partitions=2",
						"--gateway.topics.retry-levels=3", "--gateway.orchestrator.consumer-group=" + prefix,
						"--gateway.orchestrator.retry.base-delay=200ms", "--gateway.orchestrator.retry.multiplier=2",
						"--gateway.orchestrator.lease.timeout=" + LEASE.toMillis() + "ms"));
		args.addAll(List.of(workerArgs));
		return GatewayCluster.start(
				new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(), args),
				true, processor);
	}

	private Set<String> post(String prefix, int count) throws Exception {
		IngestClient ingest = new IngestClient(this.cluster.ingestHttpPort());
		Set<String> ids = new HashSet<>();
		List<String> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = prefix + "-" + i;
			ids.add(id);
			events.add(IngestClient.event(id, "company-" + (i % 4), (i % 2 == 0) ? "trigger.x" : "bulk.x"));
		}
		HttpResponse<String> response = ingest.post(events);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return ids;
	}

	private WorkerStats workerStats() {
		return this.cluster.worker().getBean(WorkerStats.class);
	}

	private static long released(WorkerStats stats) {
		long released = 0;
		for (Priority priority : Priority.values()) {
			released += stats.released(priority);
		}
		return released;
	}

	/** The HTTP status of the role's liveness probe: 200 when UP, 503 when DOWN. */
	private int liveness(ConfigurableApplicationContext role) throws Exception {
		int port = role.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).as("liveness of %s", role.getId()).contains("\"status\"");
		return response.statusCode();
	}

}
