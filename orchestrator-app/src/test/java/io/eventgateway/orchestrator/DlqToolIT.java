package io.eventgateway.orchestrator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.GatewayHeaders;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.proto.v1.Event;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code dlq} command and the {@code dlq} actuator endpoint of a running
 * orchestrator, on dead letters written as the orchestrator writes them.
 */
class DlqToolIT {

	private static final String PREFIX = "dlq-tool-it";

	private static final String PASSWORD = "s3cret-for-tests";

	private static final TopicLayout TOPICS = new TopicLayout(PREFIX, 3);

	private static ConfigurableApplicationContext orchestrator;

	private static int managementPort;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()))) {
			List<NewTopic> topics = new ArrayList<>();
			TOPICS.all().forEach((name) -> topics.add(new NewTopic(name, 1, (short) 1)));
			admin.createTopics(topics).all().get();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> admin.describeTopics(TOPICS.all())
					.allTopicNames()
					.get()
					.values()
					.stream()
					.flatMap((topic) -> topic.partitions().stream())
					.allMatch((partition) -> partition.leader() != null && !partition.leader().isEmpty()));
		}
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(deadLetter(TestEvents.event("cmd-1", "acme", Priority.P30), "downstream 503")).get();
			producer.send(deadLetter(TestEvents.event("cmd-2", "globex", Priority.P20), "timeout")).get();
			producer.send(deadLetter(TestEvents.event("http-1", "initech", Priority.P10), "downstream 500")).get();
		}
		// The orchestrator's settings and management plane around the dead-letter tools,
		// without its sources and servers: what the endpoint needs, in a fraction of the
		// start time.
		orchestrator = GatewayApplications.builder(DlqTool.class, OrchestratorApplication.ROLE)
			.run(settings("--server.port=0", "--management.server.port=0", "--server.address=127.0.0.1",
					"--management.server.address=127.0.0.1", "--spring.grpc.server.enabled=false",
					"--management.endpoint.health.validate-group-membership=false", "--gateway.management.username=ops",
					"--gateway.management.password=" + PASSWORD));
		managementPort = Integer.parseInt(orchestrator.getEnvironment().getProperty("local.management.port"));
	}

	@AfterAll
	static void stop() {
		if (orchestrator != null) {
			orchestrator.close();
		}
	}

	@Test
	void theCommandListsShowsAndRedrivesOnce() {
		Run list = dlq("list", "--company=acme");
		assertThat(list.status()).isZero();
		assertThat(list.out()).contains("cmd-1").contains("downstream 503").doesNotContain("cmd-2");

		Run show = dlq("show", "--event=cmd-2");
		assertThat(show.status()).isZero();
		assertThat(show.out()).contains("timeout").contains(TOPICS.priority(Priority.P20));

		Run dryRun = dlq("redrive", "--event=cmd-1", "--dry-run");
		assertThat(dryRun.out()).contains("WOULD_REDRIVE").contains("Dry run, nothing written");

		Run redrive = dlq("redrive", "--event=cmd-1");
		assertThat(redrive.status()).isZero();
		assertThat(redrive.out()).contains("REDRIVEN").contains(TOPICS.priority(Priority.P30));

		Run again = dlq("redrive", "--company=acme");
		assertThat(again.status()).isZero();
		assertThat(again.out()).contains("ALREADY_REDRIVEN").contains("0 redriven");
	}

	@Test
	void theCommandRefusesAMistypedOption() {
		Run run = dlq("redrive", "--compnay=acme");

		assertThat(run.status()).isEqualTo(DlqTool.USAGE_ERROR);
		assertThat(run.err()).contains("--compnay").contains("usage:");
	}

	@Test
	void theCommandSaysInOneLineWhenTheClusterDoesNotAnswer() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		// Nothing listens on port 1 of the loopback address.
		int status = DlqTool.run(
				new String[] { "dlq", "list", "--spring.kafka.bootstrap-servers=127.0.0.1:1",
						"--gateway.orchestrator.dlq.read-timeout=1s",
						"--spring.config.import=optional:configserver:http://127.0.0.1:1",
						"--spring.cloud.bus.enabled=false", "--gateway.topics.prefix=" + PREFIX },
				new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(status).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("dlq list failed")
			.contains("spring.kafka.bootstrap-servers=127.0.0.1:1")
			.doesNotContain("\tat ");
	}

	@Test
	void theEndpointRefusesARedriveWithoutASelection() throws Exception {
		HttpResponse<String> response = send(post("/actuator/dlq", "{\"dryRun\":false}"), true);

		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void theEndpointNeedsCredentials() throws Exception {
		assertThat(send(get("/actuator/dlq"), false).statusCode()).isEqualTo(401);
		assertThat(send(post("/actuator/dlq", "{\"company\":\"initech\"}"), false).statusCode()).isEqualTo(401);
	}

	@Test
	void theEndpointListsShowsAndRedrivesAsADryRunByDefault() throws Exception {
		HttpResponse<String> list = send(get("/actuator/dlq?company=initech"), true);
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains("\"eventId\":\"http-1\"").contains("downstream 500");

		HttpResponse<String> show = send(get("/actuator/dlq/event/http-1"), true);
		assertThat(show.body()).contains("\"companyId\":\"initech\"");
		// Named by its kind, never guessed.
		assertThat(send(get("/actuator/dlq/position/http-1"), true).statusCode()).isEqualTo(400);
		assertThat(send(get("/actuator/dlq/id/http-1"), true).statusCode()).isEqualTo(400);

		HttpResponse<String> dryRun = send(post("/actuator/dlq", "{\"company\":\"initech\"}"), true);
		assertThat(dryRun.statusCode()).isEqualTo(200);
		assertThat(dryRun.body()).contains("\"dryRun\":true").contains("WOULD_REDRIVE");

		HttpResponse<String> redrive = send(post("/actuator/dlq", "{\"company\":\"initech\",\"dryRun\":false}"), true);
		assertThat(redrive.body()).contains("\"dryRun\":false").contains("\"REDRIVEN\"");
		assertThat(send(get("/actuator/prometheus"), false).body())
			.containsPattern("gateway_orchestrator_dlq_redriven_total\\{[^}]*} [1-9]");
	}

	private record Run(int status, String out, String err) {

	}

	private static Run dlq(String... args) {
		List<String> all = new ArrayList<>(List.of("dlq"));
		all.addAll(List.of(args));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = DlqTool.run(settings(all.toArray(String[]::new)),
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private static String[] settings(String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
				"--spring.config.import=optional:configserver:http://127.0.0.1:1", "--spring.cloud.bus.enabled=false",
				"--spring.main.banner-mode=off", "--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=1"));
		return all.toArray(String[]::new);
	}

	private static ProducerRecord<String, byte[]> deadLetter(Event event, String error) {
		Event failed = event.toBuilder().setAttempt(3).build();
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPICS.dlq(), failed.getCompanyId(),
				failed.toByteArray());
		GatewayHeaders.putString(record.headers(), GatewayHeaders.ORIGINAL_TOPIC,
				TOPICS.priority(Priority.fromProto(event.getPriorityLevel())));
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.ORIGINAL_PARTITION, 0);
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.ORIGINAL_OFFSET, 0);
		GatewayHeaders.putLong(record.headers(), GatewayHeaders.ATTEMPTS, 3);
		GatewayHeaders.putString(record.headers(), GatewayHeaders.ERROR, error);
		return record;
	}

	private HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).GET();
	}

	private HttpRequest.Builder post(String path, String json) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
	}

	private HttpResponse<String> send(HttpRequest.Builder request, boolean authenticated) throws Exception {
		if (authenticated) {
			request.header("Authorization", "Basic "
					+ Base64.getEncoder().encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
		}
		return this.http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
	}

}
