package io.eventgateway.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How Prometheus finds and judges the roles: the PodMonitor for the Prometheus Operator,
 * the scrape annotations, and alert rules whose runbook links lead to a section.
 */
class MonitoringChartTests {

	private static final Path TWO_FLEET_VALUES = Path.of("src/test/resources/two-fleet-values.yaml");

	private static final Path RUNBOOK = Path.of("../docs/runbook.md");

	@Test
	void thePodMonitorScrapesTheManagementPortOfEveryRolesPods() {
		Chart.Rendered rendered = Chart.render(TWO_FLEET_VALUES, "monitoring.podMonitor.enabled", true,
				"monitoring.podMonitor.labels.release", "kube-prometheus-stack", "monitoring.podMonitor.interval",
				"15s");

		Map<String, Object> podMonitor = rendered.one("PodMonitor", "monitoring");
		assertThat(Chart.label(podMonitor, "release")).isEqualTo("kube-prometheus-stack");
		assertThat(Chart.at(podMonitor, "spec.namespaceSelector.matchNames")).isEqualTo(List.of("events"));
		assertThat(Chart.at(podMonitor, "spec.podMetricsEndpoints")).isEqualTo(List
			.of(Map.of("port", "management", "path", "/actuator/prometheus", "honorLabels", true, "interval", "15s")));
		@SuppressWarnings("unchecked")
		Map<String, Object> selector = (Map<String, Object>) Chart.at(podMonitor, "spec.selector.matchLabels");
		// Every gateway workload, of every fleet, is selected and names its management
		// port so.
		List<Map<String, Object>> workloads = rendered.objects()
			.stream()
			.filter((object) -> List.of("Deployment", "StatefulSet").contains(object.get("kind")))
			.filter((object) -> !"config-server".equals(Chart.label(object, "app.kubernetes.io/component")))
			.toList();
		assertThat(workloads).extracting((workload) -> Chart.label(workload, "app.kubernetes.io/component"))
			.contains("ingest", "publisher", "orchestrator", "orchestrator-rollout", "worker", "worker-rollout");
		for (Map<String, Object> workload : workloads) {
			@SuppressWarnings("unchecked")
			Map<String, Object> podLabels = (Map<String, Object>) Chart.at(workload, "spec.template.metadata.labels");
			assertThat(podLabels).as(Chart.label(workload, "app.kubernetes.io/component"))
				.containsAllEntriesOf(selector);
			assertThat(portNames(workload)).as(Chart.label(workload, "app.kubernetes.io/component"))
				.contains("management");
		}
	}

	@Test
	void thePodMonitorIsOptional() {
		assertThat(Chart.render(null).ofKind("PodMonitor")).isEmpty();
	}

	@Test
	void theScrapeAnnotationsCanBeTurnedOff() {
		Map<String, Object> withAnnotations = Chart.render(null).one("StatefulSet", "orchestrator");
		assertThat(annotations(withAnnotations)).containsEntry("prometheus.io/scrape", "true")
			.containsEntry("prometheus.io/path", "/actuator/prometheus")
			.containsEntry("prometheus.io/port", "8082");

		Chart.Rendered without = Chart.render(null, "monitoring.annotations.enabled", false,
				"monitoring.podMonitor.enabled", true);
		assertThat(annotations(without.one("StatefulSet", "orchestrator")))
			.doesNotContainKeys("prometheus.io/scrape", "prometheus.io/path", "prometheus.io/port")
			.containsKey("checksum/settings");
		assertThat(without.ofKind("PodMonitor")).hasSize(1);
	}

	@Test
	void aPodMonitorTurnsTheScrapeAnnotationsOffUnlessTheyAreAskedFor() {
		// Both on would have a Prometheus that honours both scrape every series twice.
		Chart.Rendered podMonitorOnly = Chart.render(null, "monitoring.podMonitor.enabled", true);
		assertThat(annotations(podMonitorOnly.one("StatefulSet", "orchestrator")))
			.doesNotContainKeys("prometheus.io/scrape", "prometheus.io/path", "prometheus.io/port");
		assertThat(annotations(podMonitorOnly.one("Deployment", "worker"))).doesNotContainKey("prometheus.io/scrape");

		Chart.Rendered both = Chart.render(null, "monitoring.podMonitor.enabled", true,
				"monitoring.annotations.enabled", true);
		assertThat(annotations(both.one("StatefulSet", "orchestrator"))).containsEntry("prometheus.io/scrape", "true");
		assertThat(both.ofKind("PodMonitor")).hasSize(1);
	}

	@Test
	void everyAlertLinksASectionOfTheRunbook() throws IOException {
		Set<String> anchors = anchors(Files.readAllLines(RUNBOOK));
		List<Map<String, Object>> rules = alertRules(Chart.render(null, "alerts.enabled", true));

		assertThat(rules).hasSizeGreaterThan(20).allSatisfy((rule) -> {
			String url = (String) Chart.at(rule, "annotations.runbook_url");
			assertThat(url).as((String) rule.get("alert"))
				.startsWith("https://github.com/event-gateway/event-gateway/blob/main/docs/runbook.md#");
			assertThat(anchors).as((String) rule.get("alert")).contains(url.substring(url.indexOf('#') + 1));
		});
	}

	@Test
	void theSloRulesFollowTheirObjectivesAndTheStoppedConsumptionWindow(@TempDir Path directory) throws IOException {
		// A values file: --set would pass the objective as a string, which the schema
		// refuses.
		Path values = directory.resolve("slo-values.yaml");
		Files.writeString(values, """
				alerts:
				  enabled: true
				  slo: {objectives: {P30: 0.999, P20: 0.95, P10: 0.99}, fastBurnRate: 14.4, slowBurnRate: 6}
				  stoppedConsumption: {window: 3m, bulkWindow: 7m, for: 1m, minAgeGrowth: 0.9}
				""");
		Chart.Rendered rendered = Chart.render(values);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> groups = (List<Map<String, Object>>) Chart
			.at(rendered.one("PrometheusRule", "alerts"), "spec.groups");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> recording = (List<Map<String, Object>>) groups.get(0).get("rules");

		assertThat(recording).extracting((rule) -> (String) rule.get("record"))
			.allSatisfy((name) -> assertThat(name).startsWith("eventgateway:"))
			.contains("eventgateway:handoff_slo_attainment:ratio_rate5m",
					"eventgateway:handoff_slo_burn_rate:ratio_rate6h");
		assertThat(recording)
			.anySatisfy((rule) -> assertThat((String) rule.get("expr")).contains("ratio_rate1h{priority=\"P20\"}")
				.endsWith("/ (1 - 0.95)"));
		Map<String, Object> stopped = alertRules(rendered).stream()
			.filter((rule) -> "EventGatewayStoppedConsumption".equals(rule.get("alert")))
			.findFirst()
			.orElseThrow();
		assertThat(stopped.get("for")).isEqualTo("1m");
		assertThat((String) stopped.get("expr")).contains("[3m:]", "[7m:]").doesNotContain("[10m:]", "[20m:]");
	}

	@Test
	void theDashboardReadsRecordedSeriesTheRulesDefineAndPercentilesFromHistograms() throws IOException {
		String dashboard = Files.readString(Path.of("event-gateway/files/dashboard.json"));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> groups = (List<Map<String, Object>>) Chart
			.at(Chart.render(null, "alerts.enabled", true).one("PrometheusRule", "alerts"), "spec.groups");
		Set<String> recorded = new LinkedHashSet<>();
		for (Map<String, Object> group : groups) {
			for (Object rule : (List<?>) group.get("rules")) {
				Object record = ((Map<?, ?>) rule).get("record");
				if (record != null) {
					recorded.add((String) record);
				}
			}
		}
		Matcher used = Pattern.compile("eventgateway:[a-z0-9_:]+").matcher(dashboard);
		Set<String> dashboardRecorded = new LinkedHashSet<>();
		while (used.find()) {
			dashboardRecorded.add(used.group());
		}

		assertThat(dashboardRecorded).isNotEmpty();
		assertThat(recorded).containsAll(dashboardRecorded);
		// Client-side percentiles cannot be aggregated across pods; the meters no longer
		// have them.
		assertThat(dashboard).doesNotContain("quantile=").contains("histogram_quantile(0.99");
	}

	/** The alerting rules of the rendered PrometheusRule (recording rules left out). */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> alertRules(Chart.Rendered rendered) {
		List<Map<String, Object>> groups = (List<Map<String, Object>>) Chart
			.at(rendered.one("PrometheusRule", "alerts"), "spec.groups");
		return groups.stream()
			.flatMap((group) -> ((List<Map<String, Object>>) group.get("rules")).stream())
			.filter((rule) -> rule.containsKey("alert"))
			.toList();
	}

	/** The anchors GitHub gives the headings of a Markdown file. */
	private static Set<String> anchors(List<String> lines) {
		Set<String> anchors = new LinkedHashSet<>();
		for (String line : lines) {
			if (line.startsWith("#")) {
				String heading = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT);
				anchors.add(heading.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
			}
		}
		return anchors;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> annotations(Map<String, Object> workload) {
		return (Map<String, Object>) Chart.at(workload, "spec.template.metadata.annotations");
	}

	@SuppressWarnings("unchecked")
	private static List<String> portNames(Map<String, Object> workload) {
		return ((List<Object>) Chart.at(workload, "spec.template.spec.containers.0.ports")).stream()
			.map((port) -> (String) Chart.at(port, "name"))
			.toList();
	}

}
