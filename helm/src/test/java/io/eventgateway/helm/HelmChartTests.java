package io.eventgateway.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart, rendered by the Helm library embedded in this JVM. */
class HelmChartTests {

	private static final Path PROD_VALUES = Path.of("src/test/resources/prod-values.yaml");

	private static final List<String> ROLES = List.of("ingest", "publisher", "failed-writes", "orchestrator", "worker",
			"config-server");

	@Test
	void lintsCleanInStrictMode() {
		// The library's lint takes no values file; the production values are rendered
		// below.
		LintResult lint = new Helm(Chart.DIRECTORY).lint().strict().call();
		assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void rendersObjectsTheApiServerWouldAccept(boolean production) {
		Chart.Rendered rendered = Chart.render(production ? PROD_VALUES : null);

		assertThat(ObjectChecks.problems(rendered.objects())).isEmpty();
		for (String role : ROLES) {
			assertThat(rendered.ofComponent(role)).as(role).isNotEmpty();
		}
	}

	@Test
	void theOrchestratorIsAStatefulSetWhoseReplicasTheAppIsToldOfFromOneValue() {
		Chart.Rendered rendered = Chart.render(null, "orchestrator.replicas", 5);

		Map<String, Object> statefulSet = rendered.one("StatefulSet", "orchestrator");
		assertThat(Chart.at(statefulSet, "spec.replicas")).isEqualTo(5);
		assertThat(env(statefulSet)).containsEntry("GATEWAY_ORCHESTRATOR_NUMBER_OF_REPLICAS", "5");
		Map<String, Object> headless = rendered.one("Service", "orchestrator");
		assertThat(Chart.at(headless, "spec.clusterIP")).isEqualTo("None");
		assertThat(Chart.at(statefulSet, "spec.serviceName")).isEqualTo(Chart.at(headless, "metadata.name"));
		assertThat(rendered.ofKind("Deployment"))
			.noneMatch((deployment) -> "orchestrator".equals(Chart.label(deployment, "app.kubernetes.io/component")));
	}

	@Test
	void workersFindEveryOrchestratorAndIngestEveryPublisher() {
		Chart.Rendered rendered = Chart.render(null);

		assertThat(env(rendered.one("Deployment", "worker"))).containsEntry(
				"SPRING_GRPC_CLIENT_CHANNELS_ORCHESTRATOR_ADDRESS",
				"dns:///eg-event-gateway-orchestrator-headless:9082");
		assertThat(env(rendered.one("Deployment", "ingest")))
			.containsEntry("SPRING_GRPC_CLIENT_CHANNELS_PUBLISHER_ADDRESS",
					"dns:///eg-event-gateway-publisher-headless:9081")
			.containsEntry("CONFIG_SERVER_URL", "http://eg-event-gateway-config-server:8888");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ingest", "publisher", "failedWrites", "orchestrator", "worker", "configServer" })
	void disablingARoleRemovesEveryObjectOfIt(String role) {
		String component = role.equals("failedWrites") ? "failed-writes"
				: role.equals("configServer") ? "config-server" : role;

		Chart.Rendered rendered = Chart.render(null, role + ".enabled", false);

		assertThat(rendered.ofComponent(component)).isEmpty();
		assertThat(ObjectChecks.problems(rendered.objects())).isEmpty();
	}

	@Test
	void everyObjectCarriesTheSharedLabels() {
		for (Map<String, Object> object : Chart.render(PROD_VALUES).objects()) {
			assertThat(Chart.label(object, "app.kubernetes.io/part-of")).isEqualTo("event-gateway");
			assertThat(Chart.label(object, "app.kubernetes.io/instance")).isEqualTo("eg");
		}
	}

	@Test
	void alertsRenderOnePerScenarioWithTheirThresholds() {
		Chart.Rendered rendered = Chart.render(null, "alerts.enabled", true, "alerts.thresholds.publishErrorsPer5m",
				1234, "orchestrator.replicas", 7);

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> rules = (List<Map<String, Object>>) Chart.at(rendered.one("PrometheusRule", "alerts"),
				"spec.groups.0.rules");
		assertThat(rules).extracting((rule) -> Chart.at(rule, "labels.scenario"))
			.contains("1", "2", "3", "4", "5", "6", "7");
		assertThat(rules).allSatisfy(
				(rule) -> assertThat((String) Chart.at(rule, "annotations.runbook_url")).contains("docs/runbook.md#"));
		assertThat(rules).anySatisfy((rule) -> assertThat((String) rule.get("expr"))
			.isEqualTo("sum(increase(gateway_publisher_events_total{outcome=\"failed\"}[5m])) > 1234"));
		assertThat(rules).anySatisfy((rule) -> assertThat((String) rule.get("expr")).endsWith("!= 7"));
		assertThat(Chart.render(null).ofKind("PrometheusRule")).isEmpty();
	}

	@Test
	void theDashboardShipsForTheSidecarWhenAsked() {
		Map<String, Object> dashboard = Chart.render(null, "dashboard.enabled", true).one("ConfigMap", "dashboard");

		assertThat(Chart.label(dashboard, "grafana_dashboard")).isEqualTo("1");
		@SuppressWarnings("unchecked")
		Map<String, Object> data = (Map<String, Object>) dashboard.get("data");
		assertThat((String) data.get("event-gateway.json")).contains("\"title\": \"Event Gateway\"");
	}

	@Test
	void productionValuesWireSaslTlsAndApiKeysFromSecrets() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES);

		Map<String, Object> ingest = rendered.one("Deployment", "ingest");
		assertThat(env(ingest)).containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
			.containsEntry("SPRING_CONFIG_IMPORT", "optional:file:/secrets/api-keys.yml")
			.containsEntry("GATEWAY_ENVIRONMENT", "prod");
		assertThat((String) Chart.at(ingest, "spec.template.spec.containers.0.image"))
			.isEqualTo("registry.example.internal/event-gateway/ingest-app:1.4.2");
		assertThat(Chart.at(rendered.one("PodDisruptionBudget", "orchestrator"), "spec.minAvailable")).isEqualTo(10);
		assertThat(Chart.at(rendered.one("ConfigMap", "publisher"), "data")).asString().contains("type: s3");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> env(Map<String, Object> workload) {
		Map<String, Object> values = new java.util.LinkedHashMap<>();
		for (Object item : (List<Object>) Chart.at(workload, "spec.template.spec.containers.0.env")) {
			Map<String, Object> env = (Map<String, Object>) item;
			values.put((String) env.get("name"), env.containsKey("value") ? env.get("value") : env.get("valueFrom"));
		}
		return values;
	}

}
