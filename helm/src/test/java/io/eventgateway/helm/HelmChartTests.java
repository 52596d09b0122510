package io.eventgateway.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.yaml.snakeyaml.Yaml;

import io.eventgateway.orchestrator.replica.ReplicaIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart, rendered by the Helm library embedded in this JVM. */
class HelmChartTests {

	private static final Path PROD_VALUES = Path.of("src/test/resources/prod-values.yaml");

	private static final Path TWO_FLEET_VALUES = Path.of("src/test/resources/two-fleet-values.yaml");

	private static final String FALLBACK = "publisher.settings.gateway.publisher.fallback-cluster.bootstrap-servers";

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
		// The failed-writes role needs a fallback cluster, which only the production
		// values
		// name.
		Chart.Rendered rendered = Chart.render(production ? PROD_VALUES : null);

		assertThat(ObjectChecks.problems(rendered.objects())).isEmpty();
		for (String role : ROLES) {
			if (production || !role.equals("failed-writes")) {
				assertThat(rendered.ofComponent(role)).as(role).isNotEmpty();
			}
			else {
				assertThat(rendered.ofComponent(role)).as(role).isEmpty();
			}
		}
	}

	@Test
	void twoFleetsRenderWithoutProblems() {
		assertThat(ObjectChecks.problems(Chart.render(TWO_FLEET_VALUES).objects())).isEmpty();
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
	void everyOrchestratorPodResolvesADistinctReplicaIndexFromItsName() {
		Chart.Rendered rendered = Chart.render(null, "orchestrator.replicas", 3);

		Map<String, Object> statefulSet = rendered.one("StatefulSet", "orchestrator");
		Map<String, Object> env = env(statefulSet);
		assertThat(env).containsEntry("POD_NAME", Map.of("fieldRef", Map.of("fieldPath", "metadata.name")))
			.doesNotContainKey("GATEWAY_ORCHESTRATOR_REPLICA_INDEX");
		assertThat(rendered.ofKind("ConfigMap")).allSatisfy(
				(configMap) -> assertThat(Chart.at(configMap, "data")).asString().doesNotContain("replica-index"));
		int replicas = Integer.parseInt((String) env.get("GATEWAY_ORCHESTRATOR_NUMBER_OF_REPLICAS"));
		assertThat(replicas).isEqualTo(Chart.at(statefulSet, "spec.replicas")).isEqualTo(3);
		// The pod names Kubernetes gives a StatefulSet's pods (POD_NAME in the chart),
		// resolved as each pod does with no index configured.
		Set<Integer> indices = new HashSet<>();
		for (int ordinal = 0; ordinal < replicas; ordinal++) {
			String podName = Chart.at(statefulSet, "metadata.name") + "-" + ordinal;
			Map<String, String> environment = Map.of("POD_NAME", podName);
			indices.add(ReplicaIdentity.resolve(null, environment::get, replicas).index());
		}
		assertThat(indices).containsExactlyInAnyOrder(0, 1, 2);
	}

	@Test
	void aReplicaIndexInTheOrchestratorsSettingsIsRefused() {
		assertThatThrownBy(() -> Chart.render(null, "orchestrator.settings.gateway.orchestrator.replica-index", 0))
			.hasMessageContaining("gateway.orchestrator.replica-index")
			.hasMessageContaining("same index");
	}

	@Test
	void workersFindEveryOrchestratorAndIngestEveryPublisher() {
		Chart.Rendered rendered = Chart.render(null);

		assertThat(env(rendered.one("Deployment", "worker")))
			.containsEntry("GATEWAY_WORKER_ORCHESTRATORS", "eg-event-gateway-orchestrator-headless:9082")
			.doesNotContainKey("SPRING_GRPC_CLIENT_CHANNELS_ORCHESTRATOR_ADDRESS");
		// Workers resolve every address behind the name: only ready replicas may be
		// there.
		assertThat(rendered.ofKind("Service"))
			.allSatisfy((service) -> assertThat(Chart.at(service, "spec.publishNotReadyAddresses")).isNull());
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
	void grpcTlsMountsTheSecretAndSecuresBothEndsOfEveryInternalChannel() {
		Chart.Rendered rendered = Chart.render(null, "grpcTls.enabled", true, "grpcTls.secret", "gateway-grpc-tls");

		assertThat(ObjectChecks.problems(rendered.objects())).isEmpty();
		for (String role : List.of("ingest", "publisher", "orchestrator", "worker")) {
			Map<String, Object> workload = workload(rendered, role);
			assertThat(mountPath(workload, "grpc-tls")).as(role).isEqualTo("/grpc-tls");
			assertThat(Chart.at(volume(workload, "grpc-tls"), "secret.secretName")).as(role)
				.isEqualTo("gateway-grpc-tls");
		}
		Object publisher = grpcTlsSettings(workload(rendered, "publisher"));
		assertThat(Chart.at(publisher, "spring.grpc.server.ssl"))
			.isEqualTo(Map.of("bundle", "gateway-grpc-server", "client-auth", "require"));
		assertThat(Chart.at(publisher, "spring.ssl.bundle.pem.gateway-grpc-server")).isEqualTo(Map.of("keystore",
				Map.of("certificate", "file:/grpc-tls/tls.crt", "private-key", "file:/grpc-tls/tls.key"), "truststore",
				Map.of("certificate", "file:/grpc-tls/ca.crt")));
		assertThat(Chart.at(grpcTlsSettings(workload(rendered, "orchestrator")), "spring.grpc.server.ssl.client-auth"))
			.isEqualTo("require");
		Object ingest = grpcTlsSettings(workload(rendered, "ingest"));
		assertThat(Chart.at(ingest, "spring.grpc.client.channels.publisher.ssl.bundle"))
			.isEqualTo("gateway-grpc-client");
		assertThat(Chart.at(ingest, "spring.ssl.bundle.pem.gateway-grpc-client.keystore.certificate"))
			.isEqualTo("file:/grpc-tls/tls.crt");
		assertThat(Chart.at(grpcTlsSettings(workload(rendered, "worker")), "gateway.worker.tls.bundle"))
			.isEqualTo("gateway-grpc-client");
	}

	@Test
	void grpcTlsWithoutMutualLetsServersTakeCallersWithoutACertificate() {
		Chart.Rendered rendered = Chart.render(null, "grpcTls.enabled", true, "grpcTls.secret", "gateway-grpc-tls",
				"grpcTls.mutual", false);

		assertThat(Chart.at(grpcTlsSettings(workload(rendered, "publisher")), "spring.grpc.server.ssl.client-auth"))
			.isEqualTo("none");
	}

	@Test
	void grpcTlsWithoutASecretIsRefusedNamingTheValue() {
		assertThatThrownBy(() -> Chart.render(null, "grpcTls.enabled", true)).hasMessageContaining("grpcTls.secret");
	}

	@Test
	void internalGrpcIsPlaintextByDefault() {
		for (Map<String, Object> workload : workloads(Chart.render(null))) {
			assertThat(env(workload)).doesNotContainKey("SPRING_APPLICATION_JSON");
			assertThat(volumeNames(workload)).doesNotContain("grpc-tls");
		}
	}

	@Test
	void plainLogsAndNoTracingByDefault() {
		for (Map<String, Object> workload : workloads(Chart.render(null))) {
			assertThat(env(workload))
				.doesNotContainKeys("LOGGING_STRUCTURED_FORMAT_CONSOLE",
						"MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT")
				.containsEntry("GATEWAY_TRACING_ENABLED", "false");
		}
	}

	@Test
	void jsonLogsAndTracingReachEveryRole() {
		List<Map<String, Object>> workloads = workloads(Chart.render(null, "global.logFormat", "ecs",
				"global.tracing.enabled", true, "global.tracing.otlpEndpoint", "http://collector:4318/v1/traces"));
		assertThat(workloads).isNotEmpty();
		for (Map<String, Object> workload : workloads) {
			assertThat(env(workload)).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
				.containsEntry("GATEWAY_TRACING_ENABLED", "true")
				.containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
						"http://collector:4318/v1/traces");
		}
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

		List<Map<String, Object>> rules = MonitoringChartTests.alertRules(rendered);
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
		assertThat(env(ingest)).containsEntry("GATEWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
			.containsEntry("SPRING_CONFIG_IMPORT", "optional:file:/secrets/api-keys.yml")
			.containsEntry("GATEWAY_ENVIRONMENT", "prod");
		assertThat((String) Chart.at(ingest, "spec.template.spec.containers.0.image"))
			.isEqualTo("registry.example.internal/event-gateway/ingest-app:1.4.2");
		assertThat(Chart.at(rendered.one("PodDisruptionBudget", "orchestrator"), "spec.minAvailable")).isEqualTo(10);
	}

	@Test
	@SuppressWarnings("unchecked")
	void productionValuesGiveEveryClusterItsOwnKafkaSecurityFromSecrets() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES);

		assertThat(env(rendered.one("Deployment", "ingest")))
			.containsEntry("GATEWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
			.containsEntry("GATEWAY_KAFKA_SECURITY_SASL_MECHANISM", "SCRAM-SHA-512")
			.containsEntry("GATEWAY_KAFKA_SECURITY_SASL_PASSWORD",
					Map.of("secretKeyRef", Map.of("name", "kafka-scram", "key", "password")))
			.containsEntry("GATEWAY_KAFKA_SECURITY_SSL_TRUSTSTORELOCATION", "/tls/primary/truststore.p12")
			.doesNotContainKeys("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
					"GATEWAY_PUBLISHER_FALLBACKCLUSTER_SECURITY_PROTOCOL");
		for (String role : List.of("publisher", "failed-writes")) {
			Map<String, Object> statefulSet = rendered.one("StatefulSet", role);
			assertThat(env(statefulSet)).as(role)
				.containsEntry("GATEWAY_PUBLISHER_FALLBACKCLUSTER_SECURITY_PROTOCOL", "SASL_SSL")
				.containsEntry("GATEWAY_PUBLISHER_FALLBACKCLUSTER_SECURITY_SASL_USERNAME",
						Map.of("secretKeyRef", Map.of("name", "kafka-fallback-scram", "key", "username")))
				.containsEntry("GATEWAY_PUBLISHER_FALLBACKCLUSTER_SECURITY_SSL_KEYSTORELOCATION",
						"/tls/fallback/keystore.p12")
				.containsEntry("GATEWAY_PUBLISHER_FALLBACKCLUSTER_SECURITY_SSL_KEYSTOREPASSWORD",
						Map.of("secretKeyRef", Map.of("name", "kafka-fallback-tls", "key", "keystore-password")));
			assertThat((List<Object>) Chart.at(statefulSet, "spec.template.spec.volumes")).as(role)
				.contains(Map.of("name", "kafka-tls-fallback", "secret", Map.of("secretName", "kafka-fallback-tls")));
		}
	}

	@Test
	void theRolloutClusterGetsItsOwnKafkaSecurityOnThePublisherOnly() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES, "rollout.kafka.security.protocol", "SSL",
				"rollout.kafka.security.tlsSecret", "kafka-rollout-ca");

		assertThat(env(rendered.one("StatefulSet", "publisher")))
			.containsEntry("GATEWAY_PUBLISHER_ROLLOUT_SECURITY_PROTOCOL", "SSL")
			.containsEntry("GATEWAY_PUBLISHER_ROLLOUT_SECURITY_SSL_TRUSTSTORELOCATION", "/tls/rollout/truststore.p12");
		assertThat(env(rendered.one("StatefulSet", "failed-writes")))
			.doesNotContainKey("GATEWAY_PUBLISHER_ROLLOUT_SECURITY_PROTOCOL");
	}

	@Test
	void prodValuesWithAClearTextKafkaClusterAreRefusedNamingTheValue() {
		assertThatThrownBy(() -> Chart.render(PROD_VALUES, "global.kafka.security.protocol", "PLAINTEXT"))
			.hasMessageContaining("global.kafka.security.protocol is PLAINTEXT, which a prod installation"
					+ " (global.environment prod) must not use");
		assertThatThrownBy(
				() -> Chart.render(PROD_VALUES, "publisher.fallbackCluster.security.protocol", "SASL_PLAINTEXT"))
			.hasMessageContaining("publisher.fallbackCluster.security.protocol is SASL_PLAINTEXT, which a prod"
					+ " installation (global.environment prod) must not use");
		assertThatThrownBy(() -> Chart.render(null, "global.kafka.security.protocol", "SASL_SSL"))
			.hasMessageContaining("global.kafka.security.protocol SASL_SSL needs global.kafka.security.saslMechanism"
					+ " and global.kafka.security.saslSecret");
	}

	@Test
	void aDevInstallationMayUsePlaintextKafka() {
		Chart.Rendered rendered = Chart.render(null, "global.environment", "dev", "global.kafka.security.protocol",
				"PLAINTEXT");

		assertThat(env(rendered.one("Deployment", "ingest")))
			.containsEntry("GATEWAY_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
			.doesNotContainKeys("GATEWAY_KAFKA_SECURITY_SASL_PASSWORD",
					"GATEWAY_KAFKA_SECURITY_SSL_TRUSTSTORELOCATION");
	}

	@Test
	void productionValuesReplicateTopicsAndKeepSpoolsOnPersistentVolumes() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES);

		for (String role : List.of("publisher", "failed-writes")) {
			Map<String, Object> statefulSet = rendered.one("StatefulSet", role);
			assertThat(env(statefulSet)).as(role)
				.containsEntry("GATEWAY_PUBLISHER_SPOOL_PERSISTENT", "true")
				.containsEntry("GATEWAY_PUBLISHER_SPOOL_DIRECTORY", "/spool")
				.containsEntry("GATEWAY_PUBLISHER_SPOOL_DRAIN_ON_STOP", "30s")
				.doesNotContainKey("GATEWAY_PUBLISHER_SPOOL_SHARED");
			assertThat(Chart.at(statefulSet, "spec.volumeClaimTemplates.0.metadata.name")).isEqualTo("spool");
			assertThat(Chart.at(statefulSet, "spec.volumeClaimTemplates.0.spec.resources.requests.storage"))
				.isEqualTo("20Gi");
			assertThat(Chart.at(statefulSet, "spec.volumeClaimTemplates.0.spec.storageClassName")).isEqualTo("gp3");
			assertThat(Chart.at(statefulSet, "spec.persistentVolumeClaimRetentionPolicy.whenScaled"))
				.isEqualTo("Retain");
			assertThat(mountPath(statefulSet, "spool")).isEqualTo("/spool");
			assertThat(volumeNames(statefulSet)).as(role).doesNotContain("spool");
			// Long enough to drain the spool and then close producers.
			assertThat((Integer) Chart.at(statefulSet, "spec.template.spec.terminationGracePeriodSeconds"))
				.isGreaterThan(30);
		}
		assertThat(rendered.ofComponent("publisher")).noneMatch((object) -> "Deployment".equals(object.get("kind")));
		Map<String, Object> hpa = rendered.one("HorizontalPodAutoscaler", "publisher");
		assertThat(Chart.at(hpa, "spec.scaleTargetRef.kind")).isEqualTo("StatefulSet");
		// A pod scaled away would strand what its spool volume still holds.
		assertThat(Chart.at(hpa, "spec.behavior.scaleDown.selectPolicy")).isEqualTo("Disabled");
		for (Map<String, Object> workload : workloads(rendered)) {
			assertThat(env(workload)).as((String) Chart.at(workload, "metadata.name"))
				.containsEntry("GATEWAY_TOPICS_REPLICATION_FACTOR", "3")
				.containsEntry("GATEWAY_TOPICS_MIN_INSYNC_REPLICAS", "2");
		}
	}

	@Test
	void aSpoolOnS3IsSharedAndNeedsNoVolume() {
		Chart.Rendered rendered = Chart.render(null, "publisher.settings.gateway.publisher.spool.type", "s3",
				"publisher.settings.gateway.publisher.spool.s3.bucket", "spool", FALLBACK, "fallback:9092",
				"failedWrites.enabled", true);

		for (String role : List.of("publisher", "failed-writes")) {
			Map<String, Object> deployment = rendered.one("Deployment", role);
			assertThat(env(deployment)).as(role)
				.containsEntry("GATEWAY_PUBLISHER_SPOOL_SHARED", "true")
				.doesNotContainKeys("GATEWAY_PUBLISHER_SPOOL_PERSISTENT", "GATEWAY_PUBLISHER_SPOOL_DIRECTORY");
			assertThat(volumeNames(deployment)).as(role).doesNotContain("spool");
		}
		assertThat(Chart.at(rendered.one("ConfigMap", "failed-writes"), "data")).asString()
			.contains("type: s3")
			.contains("bucket: spool");
	}

	@Test
	void aSpoolOnAnEmptyDirIsForDevelopmentOnly() {
		assertThatThrownBy(() -> Chart.render(null, "publisher.spool.persistence.enabled", false))
			.hasMessageContaining("publisher.spool.persistence.enabled")
			.hasMessageContaining("emptyDir");

		Map<String, Object> deployment = Chart
			.render(null, "global.environment", "dev", "publisher.spool.persistence.enabled", false)
			.one("Deployment", "publisher");
		assertThat(env(deployment)).doesNotContainKey("GATEWAY_PUBLISHER_SPOOL_PERSISTENT");
		assertThat(mountPath(deployment, "spool")).isEqualTo("/spool");
		assertThat(volumeNames(deployment)).contains("spool");
	}

	@Test
	void theFailedWritesRoleRendersWithThePublishersFallbackClusterAndSpool() {
		Chart.Rendered rendered = Chart.render(null, FALLBACK, "fallback:9092",
				"publisher.settings.gateway.publisher.spool.replay-interval", "10s",
				"publisher.settings.gateway.publisher.producers.linger", "9ms",
				"failedWrites.settings.gateway.publisher.failed-writes-processor.max-attempts", 7,
				"failedWrites.enabled", true);

		@SuppressWarnings("unchecked")
		Map<String, Object> data = (Map<String, Object>) rendered.one("ConfigMap", "failed-writes").get("data");
		Map<String, Object> settings = new Yaml().load((String) data.get("publisher-app.yml"));
		assertThat(Chart.at(settings, "gateway.publisher.fallback-cluster.bootstrap-servers"))
			.isEqualTo("fallback:9092");
		assertThat(Chart.at(settings, "gateway.publisher.spool.replay-interval")).isEqualTo("10s");
		assertThat(Chart.at(settings, "gateway.publisher.failed-writes-processor.max-attempts")).isEqualTo(7);
		// Only what the role shares with the publisher, not the publisher's own tuning.
		assertThat(Chart.at(settings, "gateway.publisher.producers")).isNull();
		Map<String, Object> statefulSet = rendered.one("StatefulSet", "failed-writes");
		assertThat(env(statefulSet)).containsEntry("GATEWAY_PUBLISHER_FAILED_WRITES_PROCESSOR_ENABLED", "true")
			.containsEntry("GATEWAY_PUBLISHER_SPOOL_PERSISTENT", "true");
		assertThat(ObjectChecks.problems(rendered.objects())).isEmpty();
	}

	@Test
	void aBudgetNeverKeepsEveryPodOfASmallFleet() {
		Chart.Rendered rendered = Chart.render(null, "orchestrator.replicas", 2, "orchestrator.pdb.minAvailable", 2);

		assertThat(Chart.at(rendered.one("PodDisruptionBudget", "orchestrator"), "spec.minAvailable")).isEqualTo(1);
	}

	@Test
	void aFallbackClusterWithoutTheFailedWritesRoleIsRefused() {
		assertThatThrownBy(() -> Chart.render(null, FALLBACK, "fallback:9092"))
			.hasMessageContaining("failedWrites.enabled is false")
			.hasMessageContaining("would never be moved back");
	}

	@Test
	void aFailedWritesRoleWithoutAFallbackClusterIsRefused() {
		assertThatThrownBy(() -> Chart.render(null, "failedWrites.enabled", true))
			.hasMessageContaining("failedWrites.enabled needs a fallback cluster")
			.hasMessageContaining("gateway.publisher.fallback-cluster.bootstrap-servers");
	}

	@Test
	void eachFleetRunsItsOrchestratorsAndWorkersOnItsOwnCluster() {
		Chart.Rendered rendered = Chart.render(TWO_FLEET_VALUES);

		String primaryCluster = "b-1.kafka.prod.example.internal:9092,b-2.kafka.prod.example.internal:9092";
		String rolloutCluster = "b-1.kafka-rollout.prod.example.internal:9092,b-2.kafka-rollout.prod.example.internal:9092";
		assertThat(rendered.ofKind("StatefulSet"))
			.filteredOn((o) -> Chart.at(o, "metadata.name").toString().contains("orchestrator"))
			.extracting((o) -> Chart.at(o, "metadata.name"))
			.containsExactlyInAnyOrder("eg-event-gateway-orchestrator", "eg-event-gateway-orchestrator-rollout");
		assertThat(rendered.ofKind("Deployment"))
			.filteredOn((o) -> Chart.at(o, "metadata.name").toString().contains("worker"))
			.extracting((o) -> Chart.at(o, "metadata.name"))
			.containsExactlyInAnyOrder("eg-event-gateway-worker", "eg-event-gateway-worker-rollout");

		Map<String, Object> primary = rendered.one("StatefulSet", "orchestrator");
		assertThat(env(primary)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", primaryCluster)
			.containsEntry("GATEWAY_ORCHESTRATOR_FLEET", "primary")
			.containsEntry("GATEWAY_ORCHESTRATOR_NUMBER_OF_REPLICAS", "3")
			.doesNotContainKey("GATEWAY_ORCHESTRATOR_FLOW_CONTROL_BOOTSTRAP_SERVERS");
		Map<String, Object> rollout = rendered.one("StatefulSet", "orchestrator-rollout");
		assertThat(Chart.at(rollout, "spec.replicas")).isEqualTo(2);
		assertThat(Chart.label(rollout, "eventgateway.io/fleet")).isEqualTo("rollout");
		assertThat(env(rollout)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", rolloutCluster)
			.containsEntry("GATEWAY_ORCHESTRATOR_FLEET", "rollout")
			.containsEntry("GATEWAY_ORCHESTRATOR_NUMBER_OF_REPLICAS", "2")
			.containsEntry("GATEWAY_TOPICS_REPLICATION_FACTOR", "2")
			// Ingest reads flow-control signals on the primary cluster only.
			.containsEntry("GATEWAY_ORCHESTRATOR_FLOW_CONTROL_BOOTSTRAP_SERVERS", primaryCluster);
		assertThat(Chart.at(rollout, "spec.serviceName"))
			.isEqualTo(Chart.at(rendered.one("Service", "orchestrator-rollout"), "metadata.name"));
		assertThat(Chart.at(rendered.one("PodDisruptionBudget", "orchestrator-rollout"), "spec.minAvailable"))
			.isEqualTo(1);

		assertThat(env(rendered.one("Deployment", "worker"))).containsEntry("KAFKA_BOOTSTRAP_SERVERS", primaryCluster)
			.containsEntry("GATEWAY_WORKER_ORCHESTRATORS", "eg-event-gateway-orchestrator-headless:9082");
		Map<String, Object> rolloutWorkers = rendered.one("Deployment", "worker-rollout");
		assertThat(Chart.at(rolloutWorkers, "spec.replicas")).isEqualTo(2);
		assertThat(env(rolloutWorkers)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", rolloutCluster)
			.containsEntry("GATEWAY_WORKER_ORCHESTRATORS", "eg-event-gateway-orchestrator-rollout-headless:9082");
		assertThat(rendered.ofComponent("worker-rollout"))
			.noneMatch((o) -> "HorizontalPodAutoscaler".equals(o.get("kind")));
		assertThat(Chart.at(rendered.one("ConfigMap", "orchestrator-rollout"), "metadata.name"))
			.isEqualTo(Chart.at(rollout, "spec.template.spec.volumes.1.configMap.name"));
	}

	@Test
	void aRolloutClusterWithoutAFleetIsRefused() {
		assertThatThrownBy(() -> Chart.render(null, "publisher.settings.gateway.publisher.rollout.bootstrap-servers",
				"kafka-rollout:9092"))
			.hasMessageContaining("rollout cluster")
			.hasMessageContaining("kafka-rollout:9092")
			.hasMessageContaining("has no fleet");
	}

	@Test
	void theReplicaCountAlertExpectsEveryFleetsOrchestrators() {
		Chart.Rendered rendered = Chart.render(TWO_FLEET_VALUES, "alerts.enabled", true);

		List<Map<String, Object>> rules = MonitoringChartTests.alertRules(rendered);
		assertThat(rules).anySatisfy((rule) -> assertThat((String) rule.get("expr")).endsWith("!= 5"));
	}

	private static List<Map<String, Object>> workloads(Chart.Rendered rendered) {
		List<Map<String, Object>> workloads = new ArrayList<>(rendered.ofKind("Deployment"));
		workloads.addAll(rendered.ofKind("StatefulSet"));
		return workloads;
	}

	@SuppressWarnings("unchecked")
	private static String mountPath(Map<String, Object> workload, String volume) {
		for (Object mount : (List<Object>) Chart.at(workload, "spec.template.spec.containers.0.volumeMounts")) {
			if (volume.equals(Chart.at(mount, "name"))) {
				return (String) Chart.at(mount, "mountPath");
			}
		}
		return null;
	}

	@Test
	void networkPoliciesLetEachRoleBeCalledOnlyByItsCallers() {
		Chart.Rendered rendered = Chart.render(null);
		Map<String, Object> monitoring = Map.of("namespaceSelector",
				Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")));

		assertThat(rendered.ofKind("NetworkPolicy")).hasSize(5).allSatisfy((policy) -> {
			assertThat(Chart.at(policy, "spec.policyTypes")).isEqualTo(List.of("Ingress"));
			assertThat(Chart.at(policy, "spec.podSelector.matchLabels"))
				.isEqualTo(Map.of("app.kubernetes.io/name", "event-gateway", "app.kubernetes.io/instance", "eg",
						"app.kubernetes.io/component", Chart.label(policy, "app.kubernetes.io/component")));
		});
		// Ingest's API and gRPC from anywhere (no "from"), its management port apart
		// (actuator) from monitoring only.
		assertThat(rules(rendered, "ingest")).containsExactly(Map.of("ports", List.of(tcp(8080), tcp(9080))),
				Map.of("ports", List.of(tcp(8090)), "from", List.of(monitoring)));
		assertThat(rules(rendered, "publisher")).containsExactly(
				Map.of("ports", List.of(tcp(9081)), "from", List.of(pods("ingest"))),
				Map.of("ports", List.of(tcp(8081)), "from", List.of(monitoring)));
		assertThat(rules(rendered, "orchestrator")).containsExactly(
				Map.of("ports", List.of(tcp(9082)), "from", List.of(pods("worker"))),
				Map.of("ports", List.of(tcp(8082)), "from", List.of(monitoring)));
		assertThat(rules(rendered, "worker"))
			.containsExactly(Map.of("ports", List.of(tcp(8083)), "from", List.of(monitoring)));
		assertThat(rules(rendered, "config-server")).containsExactly(
				Map.of("ports", List.of(tcp(8888)), "from", List.of(Map.of("podSelector", Map.of("matchLabels",
						Map.of("app.kubernetes.io/name", "event-gateway", "app.kubernetes.io/instance", "eg"))))));
	}

	@Test
	void ingestFromAndManagementFromNarrowAndWidenTheirPorts() {
		Chart.Rendered rendered = Chart.render(null, "networkPolicy.ingestFrom[0].ipBlock.cidr", "10.20.0.0/16",
				"networkPolicy.managementFrom[0].ipBlock.cidr", "10.0.0.0/24",
				"networkPolicy.monitoringNamespaceSelector.matchLabels.team", "observability");

		assertThat(Chart.at(rules(rendered, "ingest").get(0), "from"))
			.isEqualTo(List.of(Map.of("ipBlock", Map.of("cidr", "10.20.0.0/16"))));
		assertThat(Chart.at(rules(rendered, "worker").get(0), "from")).asList()
			.contains(Map.of("ipBlock", Map.of("cidr", "10.0.0.0/24")))
			.anySatisfy((peer) -> assertThat(Chart.at(peer, "namespaceSelector.matchLabels")).asString()
				.contains("team=observability"));
	}

	@Test
	void eachFleetsOrchestratorsAcceptOnlyThatFleetsWorkers() {
		Chart.Rendered rendered = Chart.render(TWO_FLEET_VALUES);

		assertThat(rules(rendered, "orchestrator-rollout").get(0))
			.isEqualTo(Map.of("ports", List.of(tcp(9082)), "from", List.of(pods("worker-rollout"))));
		assertThat(rules(rendered, "orchestrator").get(0))
			.isEqualTo(Map.of("ports", List.of(tcp(9082)), "from", List.of(pods("worker"))));
		assertThat(rendered.ofKind("NetworkPolicy")).extracting((policy) -> Chart.at(policy, "metadata.name"))
			.contains("eg-event-gateway-worker-rollout", "eg-event-gateway-orchestrator-rollout");
	}

	@Test
	void theFailedWritesProcessorAcceptsOnlyActuatorCalls() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES);

		assertThat(rules(rendered, "failed-writes")).hasSize(1)
			.allSatisfy((rule) -> assertThat(Chart.at(rule, "ports")).isEqualTo(List.of(tcp(8081))));
	}

	@Test
	void networkPoliciesAreLeftOutWhenDisabled() {
		assertThat(Chart.render(null, "networkPolicy.enabled", false).ofKind("NetworkPolicy")).isEmpty();
	}

	@Test
	void everyRoleRunsUnderItsOwnServiceAccountWithoutAToken() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES);
		List<Map<String, Object>> accounts = rendered.ofKind("ServiceAccount");

		assertThat(accounts).extracting((account) -> Chart.at(account, "metadata.name"))
			.containsExactlyInAnyOrderElementsOf(ROLES.stream().map((role) -> "eg-event-gateway-" + role).toList());
		assertThat(accounts)
			.allSatisfy((account) -> assertThat(account.get("automountServiceAccountToken")).isEqualTo(false));
		assertThat(workloads(rendered)).allSatisfy((workload) -> {
			String role = Chart.label(workload, "app.kubernetes.io/component");
			assertThat(Chart.at(workload, "spec.template.spec.serviceAccountName")).as(role)
				.isEqualTo("eg-event-gateway-" + role);
			assertThat(Chart.at(workload, "spec.template.spec.automountServiceAccountToken")).as(role).isEqualTo(false);
		});
	}

	@Test
	void aFleetsPodsShareTheirRolesServiceAccount() {
		Chart.Rendered rendered = Chart.render(TWO_FLEET_VALUES);

		assertThat(
				Chart.at(rendered.one("StatefulSet", "orchestrator-rollout"), "spec.template.spec.serviceAccountName"))
			.isEqualTo("eg-event-gateway-orchestrator");
		assertThat(Chart.at(rendered.one("Deployment", "worker-rollout"), "spec.template.spec.serviceAccountName"))
			.isEqualTo("eg-event-gateway-worker");
	}

	@Test
	void theConfigServerAccountAndEncryptKeyComeFromSecrets() {
		Chart.Rendered rendered = Chart.render(PROD_VALUES, "configServer.encryptKeySecret", "settings-encrypt-key");

		assertThat(
				workloads(rendered))
			.allSatisfy((workload) -> assertThat(env(workload))
				.containsEntry("CONFIG_SERVER_USERNAME",
						Map.of("secretKeyRef", Map.of("name", "config-server-credentials", "key", "username")))
				.containsEntry("CONFIG_SERVER_PASSWORD",
						Map.of("secretKeyRef", Map.of("name", "config-server-credentials", "key", "password"))));
		assertThat(env(rendered.one("Deployment", "config-server"))).containsEntry("ENCRYPT_KEY",
				Map.of("secretKeyRef", Map.of("name", "settings-encrypt-key", "key", "key")));
		assertThat(env(rendered.one("Deployment", "ingest"))).doesNotContainKey("ENCRYPT_KEY");
	}

	@Test
	void prodValuesWithoutConfigServerCredentialsAreRefused() {
		assertThatThrownBy(() -> Chart.render(PROD_VALUES, "configServer.credentialsSecret", ""))
			.hasMessageContaining("configServer.credentialsSecret")
			.hasMessageContaining("prod");
		assertThat(Chart.render(PROD_VALUES, "configServer.credentialsSecret", "", "global.environment", "staging")
			.ofKind("Deployment")).isNotEmpty();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> rules(Chart.Rendered rendered, String component) {
		return (List<Map<String, Object>>) Chart.at(rendered.one("NetworkPolicy", component), "spec.ingress");
	}

	private static Map<String, Object> tcp(int port) {
		return Map.of("protocol", "TCP", "port", port);
	}

	private static Map<String, Object> pods(String component) {
		return Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "event-gateway",
				"app.kubernetes.io/instance", "eg", "app.kubernetes.io/component", component)));
	}

	@SuppressWarnings("unchecked")
	private static List<String> volumeNames(Map<String, Object> workload) {
		return ((List<Object>) Chart.at(workload, "spec.template.spec.volumes")).stream()
			.map((volume) -> (String) Chart.at(volume, "name"))
			.toList();
	}

	private static Map<String, Object> workload(Chart.Rendered rendered, String component) {
		List<Map<String, Object>> found = workloads(rendered).stream()
			.filter((workload) -> component.equals(Chart.label(workload, "app.kubernetes.io/component")))
			.toList();
		assertThat(found).as(component).hasSize(1);
		return found.get(0);
	}

	@SuppressWarnings("unchecked")
	private static Object volume(Map<String, Object> workload, String name) {
		return ((List<Object>) Chart.at(workload, "spec.template.spec.volumes")).stream()
			.filter((volume) -> name.equals(Chart.at(volume, "name")))
			.findFirst()
			.orElseThrow();
	}

	/** The settings the chart passes in SPRING_APPLICATION_JSON, parsed. */
	private static Object grpcTlsSettings(Map<String, Object> workload) {
		Object json = env(workload).get("SPRING_APPLICATION_JSON");
		assertThat(json).as("SPRING_APPLICATION_JSON").isInstanceOf(String.class);
		return new Yaml().load((String) json);
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
