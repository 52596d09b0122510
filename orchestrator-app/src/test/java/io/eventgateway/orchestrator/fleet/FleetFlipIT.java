package io.eventgateway.orchestrator.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.event.TaskEvents;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.Task;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two fleets on one cluster, as during a fleet migration: only the fleet listed in
 * {@code active-fleets} leases, and moving the list from one fleet to the other under a
 * stream of events loses none; the duplicates stay bounded by what was in flight at the
 * flip.
 */
class FleetFlipIT {

	private static final String PREFIX = "fleet-it";

	private static final int BEFORE_FLIP = 60;

	private static final int TOTAL = 180;

	private final Fleet a = new Fleet("a");

	private final Fleet b = new Fleet("b");

	private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
			Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
					ProducerConfig.ACKS_CONFIG, "all"),
			new StringSerializer(), new ByteArraySerializer());

	/** Every event id leased, once per lease, with the fleet that leased it. */
	private final List<String> leasedBy = new ArrayList<>();

	private final Set<String> acked = new HashSet<>();

	private int produced;

	@BeforeEach
	void start() {
		this.a.start();
		this.b.start();
	}

	@AfterEach
	void stop() {
		this.producer.close();
		this.a.stop();
		this.b.stop();
	}

	@Test
	void onlyTheActiveFleetLeasesAndAFlipUnderLoadLosesNothing() {
		produce(BEFORE_FLIP);
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			work();
			return this.acked.size() == BEFORE_FLIP;
		});
		assertThat(this.leasedBy).allMatch((lease) -> lease.startsWith("a:"));
		assertThat(this.b.fleetState()).containsEntry("fleetActive", false).containsEntry("standing", "STANDBY");

		// The flip comes while events keep arriving and leases are out.
		int inFlightAtFlip = 0;
		while (this.produced < TOTAL) {
			produce(10);
			work();
			if (this.produced == BEFORE_FLIP + 30) {
				inFlightAtFlip = this.produced - this.acked.size();
				this.a.activeFleets("b");
				this.b.activeFleets("b");
			}
		}
		await().atMost(Duration.ofSeconds(90)).until(() -> {
			work();
			return this.acked.size() == TOTAL;
		});

		assertThat(this.a.fleetState()).containsEntry("fleetActive", false).containsEntry("standing", "STANDBY");
		assertThat(this.b.fleetState()).containsEntry("fleetActive", true).containsEntry("standing", "SERVING");
		// Everything produced once a had handed back its partitions went through b.
		assertThat(this.leasedBy.subList(this.leasedBy.size() - 10, this.leasedBy.size()))
			.allMatch((lease) -> lease.startsWith("b:"));
		long duplicates = this.leasedBy.size() - TOTAL;
		assertThat(duplicates).isLessThanOrEqualTo(inFlightAtFlip + 2L * 50);
	}

	private void produce(int count) {
		for (int i = 0; i < count; i++) {
			String id = "fleet-" + this.produced++;
			this.producer.send(new ProducerRecord<>(PREFIX + ".p30", id,
					TestEvents.event(id, "company-" + (this.produced % 7), Priority.P30).toByteArray()));
		}
		this.producer.flush();
	}

	/**
	 * One round of a worker that fetches from both fleets and ACKs every lease at once.
	 */
	private void work() {
		for (Fleet fleet : List.of(this.a, this.b)) {
			FetchTasksResponse lease = fleet.fetch();
			if (lease.getTasksCount() == 0) {
				continue;
			}
			TaskResponse.Builder answer = TaskResponse.newBuilder().setLeaseId(lease.getLeaseId());
			for (Task task : lease.getTasksList()) {
				String id = TaskEvents.event(task).getEventId();
				this.leasedBy.add(fleet.name + ":" + id);
				this.acked.add(id);
				answer.addOutcomes(TaskOutcome.newBuilder()
					.setPosition(task.getPosition())
					.setEventId(id)
					.setVerdict(TaskOutcome.Verdict.ACK));
			}
			this.producer.send(new ProducerRecord<>(PREFIX + ".responses", lease.getReplicaIndex(), lease.getLeaseId(),
					answer.build().toByteArray()));
		}
	}

	/** One orchestrator of one fleet. */
	private static final class Fleet {

		private final String name;

		private final Map<String, Object> overrides = new HashMap<>();

		private ConfigurableApplicationContext context;

		private ManagedChannel channel;

		private EventsOrchestratorGrpc.EventsOrchestratorBlockingStub stub;

		Fleet(String name) {
			this.name = name;
		}

		void start() {
			this.context = GatewayApplications.builder(OrchestratorApplication.class, OrchestratorApplication.ROLE)
				.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
						"--spring.grpc.server.port=0", "--spring.main.banner-mode=off",
						"--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=2",
						"--gateway.orchestrator.consumer-group=" + PREFIX, "--gateway.orchestrator.replica-index=0",
						"--gateway.orchestrator.fleet=" + this.name, "--gateway.orchestrator.active-fleets=a",
						"--gateway.orchestrator.fetch.max-wait=100ms", "--gateway.orchestrator.lease.timeout=20s");
			this.context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("overrides", this.overrides));
			int port = Integer.parseInt(this.context.getEnvironment().getProperty("local.grpc.port"));
			this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
			this.stub = EventsOrchestratorGrpc.newBlockingStub(this.channel);
		}

		void stop() {
			if (this.channel != null) {
				this.channel.shutdownNow();
			}
			if (this.context != null) {
				this.context.close();
			}
		}

		void activeFleets(String fleets) {
			this.overrides.put("gateway.orchestrator.active-fleets", fleets);
			this.context
				.publishEvent(new EnvironmentChangeEvent(this.context, Set.of("gateway.orchestrator.active-fleets")));
		}

		FetchTasksResponse fetch() {
			return this.stub.fetchTasks(FetchTasksRequest.newBuilder()
				.setMaxTasks(50)
				.setMaxWait(ProtoTime.duration(Duration.ofMillis(100)))
				.setWorkerId("fleet-it-worker")
				.build());
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> fleetState() {
			Map<String, Object> state = this.context.getBean(io.eventgateway.orchestrator.config.GatewayEndpoint.class)
				.state();
			return (Map<String, Object>) state.get("fleet");
		}

	}

}
