package io.eventgateway.orchestrator.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.TaskEvents;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.orchestrator.OrchestratorApplication;
import io.eventgateway.proto.v1.EventsOrchestratorGrpc;
import io.eventgateway.proto.v1.FetchTasksRequest;
import io.eventgateway.proto.v1.FetchTasksResponse;
import io.eventgateway.proto.v1.RenewLeaseRequest;
import io.eventgateway.proto.v1.RenewLeaseResponse;
import io.eventgateway.proto.v1.Task;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The orchestrator against a real broker, driven by a hand-written worker over real gRPC:
 * leases expire and serve their events again, and offsets are committed only past
 * answered events.
 */
@SpringBootTest(classes = OrchestratorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=orchestrator-app", "spring.grpc.server.port=0",
				"gateway.topics.prefix=lease-it", "gateway.topics.partitions=1",
				"gateway.orchestrator.consumer-group=lease-it", "gateway.orchestrator.lease.timeout=2s",
				"gateway.orchestrator.fetch.max-wait=200ms" })
class LeaseExpiryIT {

	private static final String TOPIC = "lease-it.p10";

	private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

	@Value("${local.grpc.port}")
	private int grpcPort;

	private ManagedChannel channel;

	private EventsOrchestratorGrpc.EventsOrchestratorBlockingStub orchestrator;

	@DynamicPropertySource
	static void kafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", KafkaTestBroker::bootstrapServers);
	}

	@BeforeEach
	void connect() {
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		this.orchestrator = EventsOrchestratorGrpc.newBlockingStub(this.channel);
	}

	@AfterEach
	void disconnect() {
		this.channel.shutdownNow();
	}

	@Test
	void unansweredLeaseServesItsEventsAgainAndHoldsTheCommitUntilAcked() throws Exception {
		List<String> ids = IntStream.range(0, 5).mapToObj((i) -> "lease-" + i).toList();
		produce(TOPIC, Priority.P10, ids);

		FetchTasksResponse first = await().atMost(Duration.ofSeconds(30))
			.until(this::fetch, (batch) -> batch.getTasksCount() == ids.size());
		assertThat(eventIds(first)).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(ProtoTime.instant(first.getLeaseDeadline())).isAfter(Instant.now());

		// The worker never answers. Until the lease ends nothing is served and nothing
		// committed.
		FetchTasksResponse again = await().atMost(Duration.ofSeconds(30))
			.until(this::fetch, (batch) -> batch.getTasksCount() > 0);
		assertThat(again.getLeaseId()).isNotEqualTo(first.getLeaseId());
		assertThat(eventIds(again)).containsExactlyInAnyOrderElementsOf(ids);
		assertThat(committedOffset()).isZero();

		// A late answer for the expired lease changes nothing.
		answer(first, TaskOutcome.Verdict.ACK);
		// The answer for the current lease lets the partition be committed to its end.
		answer(again, TaskOutcome.Verdict.ACK);
		await().atMost(Duration.ofSeconds(30)).until(this::committedOffset, (offset) -> offset == ids.size());
	}

	@Test
	void renewedLeaseIsNotServedAgainAndAnEndedOneCannotBeRenewed() throws Exception {
		// On the P30 topic, so the P10 offsets the other test checks stay its own.
		produce("lease-it.p30", Priority.P30, List.of("renew-0"));
		FetchTasksResponse lease = await().atMost(Duration.ofSeconds(30))
			.until(this::fetch, (batch) -> batch.getTasksCount() > 0);

		RenewLeaseResponse renewed = this.orchestrator.renewLease(RenewLeaseRequest.newBuilder()
			.setLeaseId(lease.getLeaseId())
			.setExtension(ProtoTime.duration(Duration.ofSeconds(20)))
			.build());

		assertThat(ProtoTime.instant(renewed.getLeaseDeadline())).isAfter(ProtoTime.instant(lease.getLeaseDeadline()));
		// Past the original 2 s deadline the renewed lease still holds its event.
		Instant originalDeadline = ProtoTime.instant(lease.getLeaseDeadline());
		await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(originalDeadline.plusSeconds(1)));
		assertThat(fetch().getTasksCount()).isZero();
		answer(lease, TaskOutcome.Verdict.ACK);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.orchestrator.renewLease(RenewLeaseRequest.newBuilder()
				.setLeaseId("no-such-lease")
				.setExtension(ProtoTime.duration(Duration.ofSeconds(5)))
				.build()))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
	}

	@Test
	void nonPositiveMaxTasksIsRejectedNamingTheField() {
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.orchestrator.fetchTasks(FetchTasksRequest.newBuilder().setMaxTasks(0).build()))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains("max_tasks");
			});
	}

	private FetchTasksResponse fetch() {
		return this.orchestrator.fetchTasks(FetchTasksRequest.newBuilder()
			.setMaxTasks(100)
			.setMaxWait(ProtoTime.duration(Duration.ofMillis(200)))
			.setWorkerId("silent-worker")
			.build());
	}

	private static Set<String> eventIds(FetchTasksResponse batch) {
		return batch.getTasksList()
			.stream()
			.map((task) -> TaskEvents.event(task).getEventId())
			.collect(Collectors.toSet());
	}

	private void answer(FetchTasksResponse batch, TaskOutcome.Verdict verdict) {
		TaskResponse.Builder response = TaskResponse.newBuilder().setLeaseId(batch.getLeaseId());
		for (Task task : batch.getTasksList()) {
			response.addOutcomes(TaskOutcome.newBuilder()
				.setPosition(task.getPosition())
				.setEventId(TaskEvents.event(task).getEventId())
				.setVerdict(verdict));
		}
		try (KafkaProducer<String, byte[]> producer = producer()) {
			producer.send(new ProducerRecord<>("lease-it.responses", batch.getReplicaIndex(), batch.getLeaseId(),
					response.build().toByteArray()));
		}
	}

	private void produce(String topic, Priority priority, List<String> ids) {
		try (KafkaProducer<String, byte[]> producer = producer()) {
			for (String id : ids) {
				producer.send(new ProducerRecord<>(topic, "company",
						TestEvents.event(id, "company", priority).toByteArray()));
			}
		}
	}

	private long committedOffset() throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()))) {
			OffsetAndMetadata committed = admin.listConsumerGroupOffsets("lease-it-p10")
				.partitionsToOffsetAndMetadata()
				.get()
				.get(PARTITION);
			return (committed != null) ? committed.offset() : 0;
		}
	}

	private static KafkaProducer<String, byte[]> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
	}

}
