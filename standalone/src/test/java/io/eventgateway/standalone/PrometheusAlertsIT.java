package io.eventgateway.standalone;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.eventgateway.embedded.GatewayCluster;
import io.eventgateway.common.test.KafkaTestBroker;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chart's alert rules in a real Prometheus server scraping a running gateway: silent
 * while the gateway is healthy and idle; the stopped-consumption alert firing once P10
 * events wait on their topic and nothing consumes them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusAlertsIT {

	private static final String PREFIX = "prom";

	/** The alert under test. */
	private static final String STOPPED_CONSUMPTION = "EventGatewayStoppedConsumption";

	/**
	 * How long a partition's lag must stay above 0 before the alert's condition holds:
	 * both the window of P30, P20 and responses and the bulk window of P10, offload and
	 * retry topics.
	 */
	private static final Duration WINDOW = Duration.ofSeconds(20);

	/** How long the condition must hold before the alert fires. */
	private static final Duration FOR = Duration.ofSeconds(10);

	/** How often the orchestrator measures lag and oldest-record age. */
	private static final Duration LAG_INTERVAL = Duration.ofSeconds(1);

	@TempDir
	static Path directory;

	private static GatewayCluster cluster;

	private static PrometheusServer prometheus;

	@BeforeAll
	static void start() throws Exception {
		// Both fail in seconds, before the gateway takes a minute to start.
		PrometheusServer.binary();
		Path rules = rules();
		cluster = GatewayCluster
			.start(new GatewayCluster.Settings(KafkaTestBroker.bootstrapServers(), GatewayCluster.Ports.random(),
					List.of("--gateway.topics.prefix=" + PREFIX, "--gateway.topics.partitions=2",
							"--gateway.orchestrator.consumer-group=" + PREFIX,
							"--gateway.orchestrator.lag.interval=" + LAG_INTERVAL.toSeconds() + "s")),
					true, null);
		List<PrometheusServer.Target> targets = new ArrayList<>();
		for (Map.Entry<String, ConfigurableApplicationContext> role : Map
			.of("ingest", cluster.ingest(), "publisher", cluster.publisher(), "orchestrator", cluster.orchestrator(),
					"worker", cluster.worker())
			.entrySet()) {
			targets.add(new PrometheusServer.Target(role.getKey(), new ActuatorClient(role.getValue()).port()));
		}
		prometheus = PrometheusServer.start(directory, rules, targets);
	}

	@AfterAll
	static void stop() {
		if (prometheus != null) {
			prometheus.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void noAlertIsPendingOrFiringOnTheHealthyIdleGateway() throws Exception {
		await("every role scraped").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(prometheus.targets()).isNotEmpty()
				.allSatisfy((target) -> assertThat(target.health()).as("%s", target).isEqualTo("up")));
		// Rules over rates need two samples: let evaluations see a few scrapes.
		Instant settled = Instant.now()
			.plus(PrometheusServer.SCRAPE_INTERVAL.multipliedBy(2))
			.plus(PrometheusServer.EVALUATION_INTERVAL);
		await("rule evaluations after the first scrapes").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> {
				Map<String, Instant> evaluations = prometheus.ruleGroupEvaluations();
				return !evaluations.isEmpty()
						&& evaluations.values().stream().allMatch((evaluated) -> evaluated.isAfter(settled));
			});

		// Long enough for the stopped-consumption alert to fire if its condition held
		// on an idle partition: its window of samples, its for, and two scrapes. No
		// alert may be pending or firing at any poll in that time. The window may start
		// once more: on a crowded machine a scrape can outlast its timeout, which marks
		// every series of that role stale for a moment, and an absent() rule then goes
		// pending until the next scrape. An alert whose condition holds stays and fails.
		Duration quiet = WINDOW.plus(FOR).plus(PrometheusServer.SCRAPE_INTERVAL.multipliedBy(2));
		await("no alert pending or firing for " + quiet).during(quiet)
			.atMost(quiet.multipliedBy(2).plus(Duration.ofSeconds(10)))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(prometheus.alerts())
				.as("alerts on a healthy idle gateway; targets %s", prometheus.targets())
				.isEmpty());
	}

	@Test
	@Order(2)
	void stoppedP10ConsumptionFiresTheStoppedConsumptionAlert() throws Exception {
		assertThat(prometheus.alertRules()).as("alert rules Prometheus loaded").contains(STOPPED_CONSUMPTION);
		cluster.stopWorker();
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			events.add(IngestClient.event("stopped-" + i, "acme", "bulk.x"));
		}
		HttpResponse<String> response = new IngestClient(cluster.ingestHttpPort()).post(events);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"accepted\":20,\"rejected\":0", "\"priority\":\"P10\"");

		// From the moment the events wait, the lag is above 0 within one lag probe
		// and one scrape; the condition needs the window of such samples, then holds
		// for the alert's for; one more scrape and evaluation make it firing. Five
		// seconds of margin cover the publisher's write, a probe slower than its
		// interval, and a slow evaluation on a busy machine.
		Duration bound = WINDOW.plus(FOR)
			.plus(PrometheusServer.SCRAPE_INTERVAL.multipliedBy(2))
			.plus(LAG_INTERVAL)
			.plus(PrometheusServer.EVALUATION_INTERVAL)
			.plus(Duration.ofSeconds(5));
		await("EventGatewayStoppedConsumption firing for a P10 topic").atMost(bound)
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(
					() -> assertThat(prometheus.alerts())
						.as("alerts; P10 lag %s; Prometheus log:%n%s",
								prometheus
									.query("gateway_orchestrator_source_lag_records{topic=\"" + PREFIX + ".p10\"}"),
								tail(prometheus.log()))
						.anySatisfy((alert) -> {
							assertThat(alert.name()).isEqualTo(STOPPED_CONSUMPTION);
							assertThat(alert.labels().get("topic")).isEqualTo(PREFIX + ".p10");
							assertThat(alert.state()).isEqualTo("firing");
						}));
	}

	/**
	 * The rules file Prometheus evaluates: the chart's, rendered for this
	 * one-orchestrator gateway with the stopped-consumption windows and for shortened so
	 * that the test runs in about two minutes.
	 */
	private static Path rules() throws Exception {
		return ChartAlertRules.write(directory.resolve("rules.yml"),
				Map.of("orchestrator.replicas", "1", "alerts.stoppedConsumption.window", WINDOW.toSeconds() + "s",
						"alerts.stoppedConsumption.bulkWindow", WINDOW.toSeconds() + "s",
						"alerts.stoppedConsumption.for", FOR.toSeconds() + "s"));
	}

	private static String tail(String log) {
		return log.substring(Math.max(0, log.length() - 4000));
	}

}
