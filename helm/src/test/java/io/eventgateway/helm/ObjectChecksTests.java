package io.eventgateway.helm;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks themselves catch what they are meant to. */
class ObjectChecksTests {

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

}
