package io.eventgateway.worker.isolation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.eventgateway.common.event.Priority;
import io.eventgateway.common.kafka.TopicLayout;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.proto.v1.TaskOutcome;
import io.eventgateway.proto.v1.TaskResponse;
import io.eventgateway.worker.fleet.FakeReplica;
import io.eventgateway.worker.fleet.ResponsesTopic;
import io.eventgateway.worker.stats.WorkerStats;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a team's own application: its security chain, its Kafka template and its
 * producer serializers stay as the team set them, none of the gateway roles' shared
 * defaults leak in, and the worker's answers still reach the responses topic as the
 * protobuf bytes the orchestrator reads.
 */
class WorkerInTeamApplicationIT {

	private FakeReplica orchestrator;

	private ConfigurableApplicationContext application;

	@AfterEach
	void stop() throws Exception {
		if (this.application != null) {
			this.application.close();
		}
		if (this.orchestrator != null) {
			this.orchestrator.close();
		}
	}

	@Test
	void theTeamsSecurityTemplateAndSettingsStayTheirsAndAnswersStayReadable() throws Exception {
		int port = freePort();
		this.orchestrator = new FakeReplica(0, port);
		this.application = SpringApplication.run(TeamOrdersApplication.class,
				"--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(),
				"--spring.kafka.producer.value-serializer=org.apache.kafka.common.serialization.StringSerializer",
				"--gateway.worker.orchestrators=127.0.0.1:" + port, "--gateway.topics.prefix=worker-team-it",
				"--gateway.worker.max-wait=100ms", "--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off");

		// The team's chain is the only one, and its rule is in force.
		assertThat(this.application.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("teamSecurity");
		assertThat(get("/orders/latest").statusCode()).isEqualTo(401);
		assertThat(get("/hello").body()).isEqualTo("hello");
		// The team's template is the only Kafka template and still works.
		assertThat(this.application.getBeansOfType(KafkaTemplate.class)).containsOnlyKeys("orderTemplate");
		@SuppressWarnings("unchecked")
		KafkaTemplate<String, String> orders = this.application.getBean("orderTemplate", KafkaTemplate.class);
		orders.send("worker-team-it.orders", "o-1", "an order").get();
		// None of the roles' shared defaults (gateway-defaults.yml) leaked in.
		assertThat(this.application.getEnvironment().getProperty("spring.servlet.multipart.enabled")).isNull();
		assertThat(this.application.getEnvironment().getProperty("management.endpoints.web.exposure.include")).isNull();

		WorkerStats stats = this.application.getBean(WorkerStats.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> stats.acked(Priority.P20) >= 3);
		List<TaskResponse> answers = ResponsesTopic.answers(this.application.getBean(TopicLayout.class).responses(), 3);
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.getOutcomesList())
			.allSatisfy((outcome) -> assertThat(outcome.getVerdict()).isEqualTo(TaskOutcome.Verdict.ACK)));
		assertThat(answers).map(TaskResponse::getLeaseId).allMatch((leaseId) -> leaseId.startsWith("r0-lease-"));
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		int port = ((WebServerApplicationContext) this.application).getWebServer().getPort();
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
