package io.eventgateway.helm;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks themselves catch what they are meant to. */
class ObjectChecksTests {

	private static final Map<String, Object> LABELS = Map.of("app.kubernetes.io/part-of", "event-gateway",
			"app.kubernetes.io/component", "orchestrator");

	@Test
	void flagsWhatTheApiServerWouldRefuseOrWouldNotWire() {
		Map<String, Object> labels = Map.of("app.kubernetes.io/part-of", "event-gateway", "app.kubernetes.io/component",
				"worker");
		Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment", "metadata",
				Map.of("name", "Bad_Name", "labels", labels), "spec",
				Map.of("selector", Map.of("matchLabels", labels), "template",
						Map.of("metadata", Map.of("labels", labels), "spec",
								Map.of("securityContext", Map.of("runAsNonRoot", true), "containers",
										List.of(Map.of("name", "worker", "image", "worker", "ports",
												List.of(Map.of("name", "http", "containerPort", 8083)), "env",
												List.of(Map.of("name", "N", "value", 4)), "volumeMounts",
												List.of(Map.of("name", "missing", "mountPath", "/x"))))))));
		Map<String, Object> service = Map.of("apiVersion", "v1", "kind", "Service", "metadata",
				Map.of("name", "svc", "labels", labels), "spec", Map.of("selector",
						Map.of("app.kubernetes.io/component", "nobody"), "ports", List.of(Map.of("port", 80))));

		assertThat(ObjectChecks.problems(List.of(deployment, service))).anyMatch((p) -> p.contains("DNS label"))
			.anyMatch((p) -> p.contains("must name a tag"))
			.anyMatch((p) -> p.contains("read-only root"))
			.anyMatch((p) -> p.contains("startupProbe uses port null"))
			.anyMatch((p) -> p.contains("env N has a value that is not a string"))
			.anyMatch((p) -> p.contains("mounts volume missing"))
			.anyMatch((p) -> p.contains("memory request"))
			.anyMatch((p) -> p.contains("Service svc: selects no pods"));
	}

	@Test
	void flagsAStatefulSetWithoutItsServiceAndAServiceSpanningTwoWorkloads() {
		Map<String, Object> one = statefulSet("one", Map.of("app.kubernetes.io/component", "orchestrator"));
		Map<String, Object> two = statefulSet("two",
				Map.of("app.kubernetes.io/component", "orchestrator", "eventgateway.io/fleet", "rollout"));
		Map<String, Object> service = Map.of("apiVersion", "v1", "kind", "Service", "metadata",
				Map.of("name", "one-headless", "labels", LABELS), "spec", Map.of("clusterIP", "None", "selector",
						Map.of("app.kubernetes.io/component", "orchestrator"), "ports", List.of(Map.of("port", 80))));

		assertThat(ObjectChecks.problems(List.of(one, two, service)))
			.anyMatch((p) -> p.equals("Service one-headless: selects the pods of 2 workloads"))
			.anyMatch((p) -> p
				.equals("StatefulSet two: serviceName two-headless is not a headless service of the release"))
			.noneMatch((p) -> p.contains("StatefulSet one:"));
	}

	/** A StatefulSet that mounts its volume claim and is otherwise sound. */
	private static Map<String, Object> statefulSet(String name, Map<String, Object> podLabels) {
		Map<String, Object> container = Map.of("name", "orchestrator", "image", "orchestrator:1", "securityContext",
				Map.of("readOnlyRootFilesystem", true, "allowPrivilegeEscalation", false), "ports",
				List.of(Map.of("name", "http", "containerPort", 8082)), "startupProbe",
				Map.of("httpGet", Map.of("port", "http")), "livenessProbe", Map.of("httpGet", Map.of("port", "http")),
				"readinessProbe", Map.of("httpGet", Map.of("port", "http")), "volumeMounts",
				List.of(Map.of("name", "data", "mountPath", "/data")), "resources",
				Map.of("requests", Map.of("memory", "1Gi")));
		return Map.of("apiVersion", "apps/v1", "kind", "StatefulSet", "metadata",
				Map.of("name", name, "labels", LABELS), "spec",
				Map.of("serviceName", name + "-headless", "selector", Map.of("matchLabels", podLabels), "template",
						Map.of("metadata", Map.of("labels", podLabels), "spec",
								Map.of("securityContext", Map.of("runAsNonRoot", true), "containers",
										List.of(container))),
						"volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "data"), "spec",
								Map.of("resources", Map.of("requests", Map.of("storage", "1Gi")))))));
	}

}
