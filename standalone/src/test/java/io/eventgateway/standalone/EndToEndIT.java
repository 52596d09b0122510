package io.eventgateway.standalone;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.event.ProtoTime;
import io.eventgateway.proto.v1.Event;
import io.eventgateway.proto.v1.IngestEvent;
import io.eventgateway.proto.v1.IngestEventsRequest;
import io.eventgateway.proto.v1.IngestEventsResponse;
import io.eventgateway.proto.v1.IngestResult;
import io.eventgateway.proto.v1.IngestServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every role, a real broker, real gRPC and HTTP over loopback: events posted to ingest
 * reach the worker, are ACKed, and the orchestrator commits every partition to its end.
 */
class EndToEndIT {

	private static final String PREFIX = "e2e";

	private static final int PARTITIONS = 3;

	private static final RecordingProcessor processor = new RecordingProcessor();

	private static GatewayCluster cluster;

	private static IngestClient ingest;

	@BeforeAll
	static void start() {
		cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=" + PARTITIONS,
							"--gateway.orchestrator.consumer-group=" + PREFIX, "--gateway.orchestrator.lag.interval=2s",
							"--gateway.worker.max-tasks-per-batch=200",
							// Traced like a production cluster with tracing on, plus
							// each role's spans in memory for the trace check.
							"--gateway.tracing.enabled=true", TracingCapture.ARGUMENT,
							"--management.opentelemetry.tracing.export.schedule-delay=200ms")),
					true, processor);
		ingest = new IngestClient(cluster.ingestHttpPort());
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void everyAcceptedEventReachesTheWorkerAndEveryPartitionIsCommittedToItsEnd() throws Exception {
		Set<String> sent = new HashSet<>();
		for (int request = 0; request < 20; request++) {
			List<String> batch = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				int n = request * 100 + i;
				String id = "flow-" + n;
				sent.add(id);
				batch.add(IngestClient.event(id, "company-" + (n % 13), eventType(n)));
			}
			HttpResponse<String> response = ingest.post(batch);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			assertThat(response.body()).contains("\"accepted\":100,\"rejected\":0");
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> processor.processedIds().containsAll(sent));
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(committedOffsets()).isEqualTo(endOffsets()));
		assertThat(endOffsets().values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(sent.size());
	}

	@Test
	void mixedBatchAcceptsTheValidEventsAndSaysWhyTheOthersFailed() throws Exception {
		HttpResponse<String> response = ingest.post(List.of(IngestClient.event("mixed-good-1", "acme", "trigger.x"),
				"{\"event_id\":\"mixed-bad\",\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}",
				"{\"company_id\":[1],\"event_type\":\"t\",\"source\":\"s\",\"payload\":{}}",
				IngestClient.event("mixed-good-2", "acme", "bulk.x")));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"accepted\":2,\"rejected\":2",
				"{\"index\":0,\"event_id\":\"mixed-good-1\",\"status\":\"accepted\",\"priority\":\"P30\"}",
				"\"field\":\"events[1].company_id\",\"message\":\"is required\"",
				"\"field\":\"events[2].company_id\",\"message\":\"must be a string, was an array\"",
				"{\"index\":3,\"event_id\":\"mixed-good-2\",\"status\":\"accepted\",\"priority\":\"P10\"}");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> processor.processedIds().containsAll(List.of("mixed-good-1", "mixed-good-2")));
		assertThat(processor.processedIds()).doesNotContain("mixed-bad");
	}

	@Test
	void oneEventsPathFromIngestToTheWorkerIsOneTrace() throws Exception {
		HttpResponse<String> response = ingest.post(List.of(IngestClient.event("traced-1", "acme", "trigger.x")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30)).until(() -> processor.processedIds().contains("traced-1"));
		Event processed = processed("traced-1");
		// W3C traceparent: version-traceid-spanid-flags.
		String[] traceParent = processed.getTraceParent().split("-");
		assertThat(traceParent).as(processed.getTraceParent()).hasSize(4);
		String traceId = traceParent[1];

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			// Ingest: the HTTP request's span, which the event carries as its parent.
			assertThat(TracingCapture.spans(cluster.ingest(), traceId))
				.anySatisfy((span) -> assertThat(span.getKind()).isEqualTo(SpanKind.SERVER));
			// Publisher: the gRPC call from ingest, and the Kafka write of the event.
			List<SpanData> publisher = TracingCapture.spans(cluster.publisher(), traceId);
			assertThat(publisher).anySatisfy((span) -> assertThat(span.getKind()).isEqualTo(SpanKind.SERVER));
			SpanData send = single(publisher, "gateway.publisher.send");
			// Orchestrator: the read, a child of the write through the record header.
			SpanData read = single(TracingCapture.spans(cluster.orchestrator(), traceId), "gateway.orchestrator.read");
			assertThat(read.getParentSpanId()).isEqualTo(send.getSpanId());
			// Worker: the processing, a child of the span the event carries.
			SpanData process = single(TracingCapture.spans(cluster.worker(), traceId), "gateway.worker.process");
			assertThat(process.getParentSpanId()).isEqualTo(traceParent[2]);
		});
	}

	@Test
	void aDelayedEventIngestedOverGrpcStaysInTheTraceOfItsRequest() throws Exception {
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", cluster.ingestGrpcPort())
			.usePlaintext()
			.build();
		try {
			IngestEventsResponse response = IngestServiceGrpc.newBlockingStub(channel)
				.withDeadlineAfter(30, TimeUnit.SECONDS)
				.ingestEvents(IngestEventsRequest.newBuilder()
					.addEvents(IngestEvent.newBuilder()
						.setEventId("traced-delayed")
						.setCompanyId("acme")
						.setEventType("bulk.report")
						.setSource("it")
						// Forwarded later from the delay topic: the trace travels with
						// the event.
						.setNotBefore(ProtoTime.timestamp(Instant.now().plusSeconds(1))))
					.build());
			assertThat(response.getResults(0).getStatus()).isEqualTo(IngestResult.Status.ACCEPTED);
		}
		finally {
			channel.shutdownNow();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> processor.processedIds().contains("traced-delayed"));
		String[] traceParent = processed("traced-delayed").getTraceParent().split("-");
		assertThat(traceParent).hasSize(4);
		String traceId = traceParent[1];

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(TracingCapture.spans(cluster.ingest(), traceId)).anySatisfy((span) -> {
				assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
				assertThat(span.getSpanId()).isEqualTo(traceParent[2]);
			});
			single(TracingCapture.spans(cluster.publisher(), traceId), "gateway.publisher.send");
			single(TracingCapture.spans(cluster.orchestrator(), traceId), "gateway.orchestrator.read");
			single(TracingCapture.spans(cluster.worker(), traceId), "gateway.worker.process");
		});
	}

	private static Event processed(String eventId) {
		return processor.batches()
			.stream()
			.flatMap(List::stream)
			.filter((event) -> event.getEventId().equals(eventId))
			.findFirst()
			.orElseThrow();
	}

	private static SpanData single(List<SpanData> spans, String name) {
		List<SpanData> named = spans.stream().filter((span) -> span.getName().equals(name)).toList();
		assertThat(named).as("%s in %s", name, spans).hasSize(1);
		return named.get(0);
	}

	@Test
	void everyRoleReportsItsHealthBuildAndMetrics() throws Exception {
		for (ConfigurableApplicationContext role : List.of(cluster.ingest(), cluster.publisher(),
				cluster.orchestrator(), cluster.worker())) {
			ActuatorClient actuator = new ActuatorClient(role);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(health(actuator, "kafka")).isEqualTo("UP"));
			assertThat(actuator.get("info").body()).contains("\"version\":\"0.1.0-SNAPSHOT\"");
			assertThat(actuator.get("prometheus").body()).contains("jvm_memory_used_bytes");
			assertThat(actuator.gateway()).isNotEmpty();
			assertThat(actuator.get("env").statusCode()).isEqualTo(404);
		}
		ActuatorClient ingestActuator = new ActuatorClient(cluster.ingest());
		assertThat(ingestActuator.port()).isEqualTo(cluster.ingestManagementPort())
			.isNotEqualTo(cluster.ingestHttpPort());
		assertThat(health(ingestActuator, "publisher")).isEqualTo("UP");
		assertThat(ingestActuator.get("prometheus").body()).contains("gateway_ingest_slo_aimd_rate");
		assertThat(health(new ActuatorClient(cluster.worker()), "orchestrator")).isEqualTo("UP");
	}

	@Test
	void managementEndpointsThatChangeStateNeedTheClustersCredentials() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		for (ConfigurableApplicationContext role : List.of(cluster.ingest(), cluster.publisher(),
				cluster.orchestrator(), cluster.worker())) {
			String base = "http://127.0.0.1:" + new ActuatorClient(role).port() + "/actuator/";
			assertThat(http
				.send(HttpRequest.newBuilder(URI.create(base + "refresh"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString())
				.statusCode()).as(base).isEqualTo(401);
			assertThat(http
				.send(HttpRequest.newBuilder(URI.create(base + "gateway")).build(),
						HttpResponse.BodyHandlers.ofString())
				.statusCode()).as(base).isEqualTo(401);
			assertThat(http
				.send(HttpRequest.newBuilder(URI.create(base + "health/liveness")).build(),
						HttpResponse.BodyHandlers.ofString())
				.statusCode()).as(base).isEqualTo(200);
		}
		assertThat(http
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + cluster.ingestHttpPort() + "/actuator/health"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(404);
	}

	@Test
	void everyMetricTheAlertsAndTheDashboardUseIsOneTheRolesEmit() throws Exception {
		// Traffic of every priority, so that meters registered on first use exist.
		List<String> ids = List.of("metrics-p30", "metrics-p20", "metrics-p10");
		HttpResponse<String> response = ingest.post(List.of(IngestClient.event(ids.get(0), "acme", "trigger.x"),
				IngestClient.event(ids.get(1), "acme", "interactive.x"),
				IngestClient.event(ids.get(2), "acme", "bulk.x")));
		assertThat(response.statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(30)).until(() -> processor.processedIds().containsAll(ids));

		Set<String> used = new HashSet<>();
		for (Path file : List.of(Path.of("../helm/event-gateway/templates/alerts/prometheusrule.yaml"),
				Path.of("../helm/event-gateway/files/dashboard.json"))) {
			Matcher metric = Pattern.compile("\\b(gateway_[a-z0-9_]+|logback_events_total)\\b")
				.matcher(Files.readString(file));
			while (metric.find()) {
				used.add(metric.group(1));
			}
		}
		assertThat(used).hasSizeGreaterThan(15);
		// Some meters appear only after their first round (the lag probe's comes after
		// its
		// interval), so scrape until every one is there.
		await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(emittedMetricNames()).containsAll(used));
	}

	private static Set<String> emittedMetricNames() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		Set<String> emitted = new HashSet<>();
		for (ConfigurableApplicationContext role : List.of(cluster.ingest(), cluster.publisher(),
				cluster.orchestrator(), cluster.worker())) {
			String scrape = get(http, "http://127.0.0.1:" + new ActuatorClient(role).port() + "/actuator/prometheus");
			scrape.lines().filter((line) -> !line.startsWith("#") && !line.isBlank()).forEach((line) -> {
				Matcher name = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(line);
				if (name.find()) {
					emitted.add(name.group());
				}
			});
		}
		return emitted;
	}

	private static String health(ActuatorClient actuator, String component) throws Exception {
		return JsonMapper.builder()
			.build()
			.readTree(actuator.get("health").body())
			.path("components")
			.path(component)
			.path("status")
			.asString();
	}

	private static String get(HttpClient http, String uri) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	private static String eventType(int n) {
		return switch (n % 3) {
			case 0 -> "trigger.flow";
			case 1 -> "interactive.click";
			default -> "bulk.sync";
		};
	}

	private static Map<TopicPartition, Long> endOffsets() throws Exception {
		return KafkaChecks.endOffsets(KafkaChecks.priorityPartitions(PREFIX, PARTITIONS));
	}

	private static Map<TopicPartition, Long> committedOffsets() throws Exception {
		return KafkaChecks.committedOffsets(PREFIX, KafkaChecks.priorityPartitions(PREFIX, PARTITIONS));
	}

}
