package io.eventgateway.orchestrator.lag;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import io.eventgateway.common.lifecycle.LoopMonitor;
import io.eventgateway.common.lifecycle.LoopState;
import io.eventgateway.common.lifecycle.LoopThreads;
import io.eventgateway.common.test.KafkaTestBroker;
import io.eventgateway.common.test.TestEvents;
import io.eventgateway.orchestrator.OrchestratorApplication;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lag probe reports lag and a rising age of the oldest unfinished record of a source
 * partition while nothing finishes its records: first with its source loop running but no
 * worker to take the tasks, then with the source loop stopped, when the loop itself can
 * report nothing.
 */
class SourceLagIT {

	private static final String PREFIX = "lag-it";

	private static final String P10 = PREFIX + ".p10";

	private ConfigurableApplicationContext context;

	private MeterRegistry registry;

	@BeforeEach
	void start() {
		this.context = start(PREFIX, "--gateway.orchestrator.lag.interval=200ms");
		this.registry = this.context.getBean(MeterRegistry.class);
	}

	private static ConfigurableApplicationContext start(String consumerGroup, String lagSetting) {
		return GatewayApplications.builder(OrchestratorApplication.class, OrchestratorApplication.ROLE)
			.run("--spring.kafka.bootstrap-servers=" + KafkaTestBroker.bootstrapServers(), "--server.port=0",
					"--spring.grpc.server.port=0", "--spring.main.banner-mode=off", "--gateway.topics.prefix=" + PREFIX,
					"--gateway.topics.partitions=1", "--gateway.orchestrator.consumer-group=" + consumerGroup,
					"--gateway.orchestrator.replica-index=0", lagSetting);
	}

	@AfterEach
	void stop() {
		this.context.close();
	}

	@Test
	void lagAndAgeRiseWhileNoWorkerFinishesAndWhileTheSourceLoopIsStopped() throws Exception {
		// Every source partition and this replica's responses partition are reported,
		// idle ones at 0.
		await().atMost(Duration.ofSeconds(30)).until(() -> lag(P10) != null && lag(PREFIX + ".responses") != null);
		assertThat(lag(P10).value()).isZero();
		assertThat(age(P10).value()).isZero();
		assertThat(lag(PREFIX + ".p30")).isNotNull();
		assertThat(lag(PREFIX + ".offload")).isNotNull();
		assertScrapedSeries();

		produce(3);
		// Read into the buffer, but with no worker nothing is finished or committed.
		await().atMost(Duration.ofSeconds(30)).until(() -> lag(P10).value() == 3);
		double firstAge = age(P10).value();
		assertThat(firstAge).isGreaterThanOrEqualTo(0);
		await().atMost(Duration.ofSeconds(30)).until(() -> age(P10).value() > firstAge + 0.5);
		// The same wait seen from the buffer: its oldest P10 task ages too.
		Gauge buffered = this.registry.find("gateway.orchestrator.buffer.oldest.age").tag("priority", "P10").gauge();
		assertThat(buffered.value()).isGreaterThan(0.5);

		// The source loop stops: it reports nothing any more, the probe still does.
		this.context.getBean("sourceConsumers", LoopThreads.class).stop();
		produce(2);
		await().atMost(Duration.ofSeconds(30)).until(() -> lag(P10).value() == 5);
		double stoppedAge = age(P10).value();
		assertThat(stoppedAge).isGreaterThan(firstAge);
		await().atMost(Duration.ofSeconds(30)).until(() -> age(P10).value() > stoppedAge + 0.5);

		LoopMonitor monitor = this.context.getBean(LoopMonitor.class);
		assertThat(monitor.loops()).filteredOn((loop) -> loop.name().equals("lag-probe"))
			.singleElement()
			.satisfies((loop) -> assertThat(loop.state()).isEqualTo(LoopState.RUNNING));
		// Rounds succeed every 200 ms.
		assertThat(this.registry.get("gateway.orchestrator.source.lag.probe.staleness").gauge().value()).isLessThan(10);
	}

	@Test
	void aDisabledProbeRunsNoLoopAndRegistersNoMeters() {
		// Groups of its own, so as not to disturb the context every test starts.
		try (ConfigurableApplicationContext disabled = start(PREFIX + "-disabled",
				"--gateway.orchestrator.lag.enabled=false")) {
			assertThat(disabled.getBeansOfType(LagProbe.class)).isEmpty();
			assertThat(disabled.getBean(MeterRegistry.class).find("gateway.orchestrator.source.lag").gauges())
				.isEmpty();
			assertThat(disabled.getBean(LoopMonitor.class).loops()).extracting((loop) -> loop.name())
				.doesNotContain("lag-probe")
				.contains("source-p10");
		}
	}

	/**
	 * The names, labels and bucket strings the chart's rules use, as Prometheus sees
	 * them.
	 */
	private void assertScrapedSeries() {
		String scrape = this.context.getBean(PrometheusMeterRegistry.class).scrape();
		assertThat(scrape)
			.containsPattern("gateway_orchestrator_source_lag_records\\{[^}]*partition=\"0\",[^}]*topic=\"" + P10
					+ "\"[^}]*} 0.0")
			.containsPattern("gateway_orchestrator_source_oldest_age_seconds\\{[^}]*topic=\"" + P10 + "\"")
			.containsPattern("gateway_orchestrator_buffer_oldest_age_seconds\\{[^}]*priority=\"P10\"[^}]*} 0.0")
			.containsPattern("gateway_orchestrator_leases_oldest_age_seconds\\{[^}]*priority=\"P30\"[^}]*} 0.0")
			.containsPattern(
					"gateway_orchestrator_fetch_latency_seconds_bucket\\{[^}]*(?<=outcome=\"tasks\",)[^}]*le=\"0.001\"")
			.containsPattern(
					"gateway_orchestrator_fetch_latency_seconds_bucket\\{[^}]*(?<=outcome=\"tasks\",)[^}]*le=\"10.0\"")
			.containsPattern("gateway_orchestrator_records_undecodable_total\\{[^}]*topic=\"" + P10 + "\"[^}]*} 0.0")
			.containsPattern("gateway_orchestrator_records_undecodable_total\\{[^}]*topic=\"" + PREFIX
					+ ".responses\"[^}]*} 0.0")
			.containsPattern("gateway_orchestrator_tasks_poisoned_total\\{[^}]*} 0.0")
			.containsPattern("gateway_orchestrator_tasks_dead_lettered_total\\{[^}]*} 0.0")
			.containsPattern("gateway_loop_healthy\\{[^}]*loop=\"lag-probe\"")
			.containsPattern("gateway_orchestrator_source_lag_probe_staleness_seconds\\{[^}]*} ")
			.containsPattern("gateway_orchestrator_source_lag_probe_unread_total\\{[^}]*reason=\"budget\"[^}]*} 0.0")
			// Nothing committed on the responses partition yet: unknown, not a lag.
			.containsPattern(
					"gateway_orchestrator_source_lag_records\\{[^}]*topic=\"" + PREFIX + ".responses\"[^}]*} NaN");
	}

	private Gauge lag(String topic) {
		return this.registry.find("gateway.orchestrator.source.lag").tag("topic", topic).tag("partition", "0").gauge();
	}

	private Gauge age(String topic) {
		return this.registry.find("gateway.orchestrator.source.oldest.age")
			.tag("topic", topic)
			.tag("partition", "0")
			.gauge();
	}

	private static void produce(int count) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()),
				new StringSerializer(), new ByteArraySerializer())) {
			for (int i = 0; i < count; i++) {
				producer
					.send(new ProducerRecord<>(P10, "acme",
							TestEvents.event("lag-" + System.nanoTime(), "acme", Priority.P10).toByteArray()))
					.get();
			}
		}
	}

}
