package io.eventgateway.helm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the Kubernetes API server would refuse, or what would silently not work, in a set
 * of rendered objects: a stand-in for schema validation, which needs the cluster's
 * OpenAPI documents (not available offline). Checks field types the API is strict about
 * (env values are strings, ports are numbers), names, and that selectors, services,
 * budgets, autoscalers, volume mounts and StatefulSets' governing services point at
 * something that exists, and that a service or budget never spans two workloads (two
 * fleets' orchestrators behind one name would mix their replicas).
 */
final class ObjectChecks {

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	private ObjectChecks() {
	}

	@SuppressWarnings("unchecked")
	static List<String> problems(List<Map<String, Object>> objects) {
		List<String> problems = new ArrayList<>();
		List<Map<String, Object>> podTemplates = new ArrayList<>();
		Set<String> workloads = new HashSet<>();
		Set<String> headlessServices = new HashSet<>();
		Map<String, String> governingServices = new LinkedHashMap<>();
		for (Map<String, Object> object : objects) {
			String kind = (String) object.get("kind");
			String name = (String) Chart.at(object, "metadata.name");
			String where = kind + " " + name;
			if (object.get("apiVersion") == null || kind == null || name == null) {
				problems.add(where + ": apiVersion, kind and metadata.name are required");
				continue;
			}
			if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
				problems.add(where + ": name is not a DNS label of at most 63 characters");
			}
			if (!"event-gateway".equals(Chart.label(object, "app.kubernetes.io/part-of"))
					|| Chart.label(object, "app.kubernetes.io/component") == null) {
				problems.add(where + ": part-of and component labels are required");
			}
			if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
				workloads.add(kind + "/" + name);
				Map<String, Object> selector = (Map<String, Object>) Chart.at(object, "spec.selector.matchLabels");
				Map<String, Object> podLabels = (Map<String, Object>) Chart.at(object, "spec.template.metadata.labels");
				if (selector == null || podLabels == null || !podLabels.entrySet().containsAll(selector.entrySet())) {
					problems.add(where + ": the selector does not match the pod labels");
				}
				else {
					podTemplates.add(podLabels);
				}
				Set<String> claims = new HashSet<>();
				for (Object claim : (List<Object>) ((Map<String, Object>) Chart.at(object, "spec"))
					.getOrDefault("volumeClaimTemplates", List.of())) {
					claims.add((String) Chart.at(claim, "metadata.name"));
					if (Chart.at(claim, "spec.resources.requests.storage") == null) {
						problems
							.add(where + ": volume claim " + Chart.at(claim, "metadata.name") + " requests no storage");
					}
				}
				if (kind.equals("StatefulSet")) {
					governingServices.put(where, (String) Chart.at(object, "spec.serviceName"));
				}
				checkPod(where, (Map<String, Object>) Chart.at(object, "spec.template.spec"), claims, problems);
			}
			if (kind.equals("Service") && "None".equals(Chart.at(object, "spec.clusterIP"))) {
				headlessServices.add(name);
			}
			if (kind.equals("ConfigMap")) {
				((Map<String, Object>) object.get("data")).forEach((key, value) -> {
					if (!(value instanceof String)) {
						problems.add(where + ": data." + key + " is not a string");
					}
				});
			}
		}
		for (Map<String, Object> object : objects) {
			String where = object.get("kind") + " " + Chart.at(object, "metadata.name");
			switch ((String) object.get("kind")) {
				case "Service" -> {
					checkSelects(where, (Map<String, Object>) Chart.at(object, "spec.selector"), podTemplates,
							problems);
					for (Object port : (List<Object>) Chart.at(object, "spec.ports")) {
						if (!(Chart.at(port, "port") instanceof Integer)) {
							problems.add(where + ": a port is not a number");
						}
					}
				}
				case "PodDisruptionBudget" -> {
					checkSelects(where, (Map<String, Object>) Chart.at(object, "spec.selector.matchLabels"),
							podTemplates, problems);
				}
				case "HorizontalPodAutoscaler" -> {
					String target = Chart.at(object, "spec.scaleTargetRef.kind") + "/"
							+ Chart.at(object, "spec.scaleTargetRef.name");
					if (!workloads.contains(target)) {
						problems.add(where + ": scales " + target + ", which does not exist");
					}
				}
				default -> {
				}
			}
		}
		governingServices.forEach((where, service) -> {
			if (!headlessServices.contains(service)) {
				problems.add(where + ": serviceName " + service + " is not a headless service of the release");
			}
		});
		return problems;
	}

	private static void checkSelects(String where, Map<String, Object> selector, List<Map<String, Object>> podLabels,
			List<String> problems) {
		long selected = (selector == null || selector.isEmpty()) ? 0
				: podLabels.stream().filter((labels) -> labels.entrySet().containsAll(selector.entrySet())).count();
		if (selected == 0) {
			problems.add(where + ": selects no pods");
		}
		else if (selected > 1) {
			problems.add(where + ": selects the pods of " + selected + " workloads");
		}
	}

	@SuppressWarnings("unchecked")
	private static void checkPod(String where, Map<String, Object> pod, Set<String> claims, List<String> problems) {
		if (!Boolean.TRUE.equals(Chart.at(pod, "securityContext.runAsNonRoot"))) {
			problems.add(where + ": pods must run as non-root");
		}
		Set<String> volumes = new HashSet<>(claims);
		for (Object volume : (List<Object>) pod.getOrDefault("volumes", List.of())) {
			volumes.add((String) Chart.at(volume, "name"));
		}
		for (Object item : (List<Object>) pod.get("containers")) {
			Map<String, Object> container = (Map<String, Object>) item;
			String image = (String) container.get("image");
			if (image == null || image.isBlank() || !image.contains(":")) {
				problems.add(where + ": container image must name a tag");
			}
			if (!Boolean.TRUE.equals(Chart.at(container, "securityContext.readOnlyRootFilesystem"))
					|| !Boolean.FALSE.equals(Chart.at(container, "securityContext.allowPrivilegeEscalation"))) {
				problems.add(where + ": containers need a read-only root and no privilege escalation");
			}
			Set<String> portNames = new HashSet<>();
			for (Object port : (List<Object>) container.getOrDefault("ports", List.of())) {
				Object number = Chart.at(port, "containerPort");
				if (!(number instanceof Integer value) || value < 1 || value > 65535) {
					problems.add(where + ": containerPort " + number + " is not a port number");
				}
				portNames.add((String) Chart.at(port, "name"));
			}
			for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
				Object port = Chart.at(container, probe + ".httpGet.port");
				if (!portNames.contains(port)) {
					problems.add(where + ": " + probe + " uses port " + port + ", which the container does not name");
				}
			}
			for (Object item2 : (List<Object>) container.getOrDefault("env", List.of())) {
				Map<String, Object> env = (Map<String, Object>) item2;
				boolean hasValue = env.containsKey("value");
				if (env.get("name") == null || hasValue == env.containsKey("valueFrom")) {
					problems.add(where + ": env " + env.get("name") + " needs a name and one of value, valueFrom");
				}
				if (hasValue && !(env.get("value") instanceof String)) {
					problems.add(where + ": env " + env.get("name") + " has a value that is not a string");
				}
			}
			for (Object mount : (List<Object>) container.getOrDefault("volumeMounts", List.of())) {
				if (!volumes.contains(Chart.at(mount, "name"))) {
					problems.add(where + ": mounts volume " + Chart.at(mount, "name") + ", which is not declared");
				}
			}
			if (Chart.at(container, "resources.requests.memory") == null) {
				problems.add(where + ": containers need a memory request");
			}
		}
	}

}
