package io.eventgateway.helm;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The management plane in the chart: a container port named {@code management} per role
 * that probes and scraping use, ingest's apart from its public Service, and credentials
 * from a Secret, required in prod.
 */
class ManagementPortChartTests {

	private static final Path PROD_VALUES = Path.of("src/test/resources/prod-values.yaml");

	private static final List<String> GATEWAY_ROLES = List.of("ingest", "publisher", "failed-writes", "orchestrator",
			"worker");

	@Test
	void everyRoleHasAManagementPortThatProbesAndScrapingUse() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES);
		for (String role : GATEWAY_ROLES) {
			Map<String, Object> workload = workload(rendered, role);
			Map<String, Integer> ports = containerPorts(workload);
			assertThat(ports).as(role).containsKey("management");
			for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
				assertThat(Chart.at(workload, "spec.template.spec.containers.0." + probe + ".httpGet.port"))
					.as(role + " " + probe)
					.isEqualTo("management");
			}
			assertThat(Chart.at(workload, "spec.template.metadata.annotations")).as(role)
				.isEqualTo(annotationsWith(workload, ports.get("management")));
		}
	}

	@Test
	void ingestServesActuatorOnAPortItsServiceDoesNotCarry() {
		Chart.Rendered rendered = Chart.render(null);
		Map<String, Object> ingest = rendered.one("Deployment", "ingest");
		assertThat(containerPorts(ingest)).containsEntry("http", 8080)
			.containsEntry("grpc", 9080)
			.containsEntry("management", 8090);
		assertThat(env(ingest)).containsEntry("MANAGEMENT_SERVER_PORT", "8090");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> servicePorts = (List<Map<String, Object>>) Chart.at(rendered.one("Service", "ingest"),
				"spec.ports");
		assertThat(servicePorts).extracting((port) -> port.get("targetPort")).containsExactlyInAnyOrder("http", "grpc");
		assertThat(servicePorts).extracting((port) -> port.get("port")).doesNotContain(8090);
	}

	@Test
	void theManagementPortFollowsItsValue() {
		Map<String, Object> ingest = Chart.render(null, "ingest.ports.management", 9990).one("Deployment", "ingest");
		assertThat(containerPorts(ingest)).containsEntry("management", 9990);
		assertThat(env(ingest)).containsEntry("MANAGEMENT_SERVER_PORT", "9990");
		assertThat(((Map<?, ?>) Chart.at(ingest, "spec.template.metadata.annotations")).get("prometheus.io/port"))
			.isEqualTo("9990");
	}

	@Test
	void everyRoleTakesItsManagementCredentialsFromTheSecret() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES, "management.credentialsSecret", "ops-basic");
		for (String role : GATEWAY_ROLES) {
			Map<String, Object> env = env(workload(rendered, role));
			assertThat(env).as(role)
				.containsEntry("GATEWAY_MANAGEMENT_USERNAME",
						Map.of("secretKeyRef", Map.of("name", "ops-basic", "key", "username")))
				.containsEntry("GATEWAY_MANAGEMENT_PASSWORD",
						Map.of("secretKeyRef", Map.of("name", "ops-basic", "key", "password")));
		}
		// The config server is no gateway role: its own settings protect it.
		assertThat(env(workload(rendered, "config-server"))).doesNotContainKey("GATEWAY_MANAGEMENT_PASSWORD");
	}

	@Test
	void prodWithoutManagementCredentialsIsRefused() {
		assertThatThrownBy(() -> Chart.render(PROD_VALUES, "management.credentialsSecret", ""))
			.hasMessageContaining("management.credentialsSecret is empty")
			.hasMessageContaining("gateway.management.username and gateway.management.password");
	}

	@Test
	void devWithoutManagementCredentialsRendersWithoutThem() {
		Chart.Rendered rendered = Chart.render(null, "global.environment", "dev", "management.credentialsSecret", "");
		for (String role : List.of("ingest", "publisher", "orchestrator", "worker")) {
			assertThat(env(workload(rendered, role))).as(role)
				.doesNotContainKeys("GATEWAY_MANAGEMENT_USERNAME", "GATEWAY_MANAGEMENT_PASSWORD");
		}
	}

	@Test
	void theConfigServerKeepsItsApiPort() {
		Map<String, Object> configServer = workload(Chart.render(null), "config-server");
		assertThat(containerPorts(configServer)).containsOnlyKeys("http");
		assertThat(Chart.at(configServer, "spec.template.spec.containers.0.livenessProbe.httpGet.port"))
			.isEqualTo("http");
	}

	private static Map<String, Object> workload(Chart.Rendered rendered, String component) {
		List<Map<String, Object>> workloads = rendered.ofComponent(component)
			.stream()
			.filter((object) -> List.of("Deployment", "StatefulSet").contains(object.get("kind")))
			.toList();
		assertThat(workloads).as(component).hasSize(1);
		return workloads.get(0);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> annotationsWith(Map<String, Object> workload, int port) {
		Map<String, Object> annotations = new LinkedHashMap<>(
				(Map<String, Object>) Chart.at(workload, "spec.template.metadata.annotations"));
		assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/path", "/actuator/prometheus");
		annotations.put("prometheus.io/port", String.valueOf(port));
		return annotations;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Integer> containerPorts(Map<String, Object> workload) {
		Map<String, Integer> ports = new LinkedHashMap<>();
		for (Object port : (List<Object>) Chart.at(workload, "spec.template.spec.containers.0.ports")) {
			ports.put((String) Chart.at(port, "name"), (Integer) Chart.at(port, "containerPort"));
		}
		return ports;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> env(Map<String, Object> workload) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (Object item : (List<Object>) Chart.at(workload, "spec.template.spec.containers.0.env")) {
			Map<String, Object> env = (Map<String, Object>) item;
			values.put((String) env.get("name"), env.containsKey("value") ? env.get("value") : env.get("valueFrom"));
		}
		return values;
	}

}
