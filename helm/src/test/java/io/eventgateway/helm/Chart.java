package io.eventgateway.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.Yaml;

/** The chart under test, rendered with embedded Helm into plain maps. */
final class Chart {

	static final Path DIRECTORY = Path.of("event-gateway");

	/** A Kubernetes version the chart supports, for capabilities checks. */
	static final String KUBERNETES_VERSION = "1.31.0";

	private Chart() {
	}

	/** Renders the chart with a values file (or none) and {@code --set} pairs. */
	static Rendered render(Path valuesFile, Object... sets) {
		TemplateCommand template = new Helm(DIRECTORY).template()
			.withName("eg")
			.withNamespace("events")
			.withKubeVersion(KUBERNETES_VERSION);
		if (valuesFile != null) {
			template = template.withValuesFile(valuesFile);
		}
		for (int i = 0; i < sets.length; i += 2) {
			template = template.set((String) sets[i], sets[i + 1]);
		}
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(template.call())) {
			if (document != null) {
				@SuppressWarnings("unchecked")
				Map<String, Object> object = (Map<String, Object>) document;
				objects.add(object);
			}
		}
		return new Rendered(objects);
	}

	/** The rendered objects. */
	record Rendered(List<Map<String, Object>> objects) {

		List<Map<String, Object>> ofKind(String kind) {
			return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
		}

		List<Map<String, Object>> ofComponent(String component) {
			return this.objects.stream()
				.filter((object) -> component.equals(label(object, "app.kubernetes.io/component")))
				.toList();
		}

		Map<String, Object> one(String kind, String component) {
			List<Map<String, Object>> found = ofKind(kind).stream()
				.filter((object) -> component.equals(label(object, "app.kubernetes.io/component")))
				.toList();
			if (found.size() != 1) {
				throw new AssertionError("expected one " + kind + " of " + component + ", found " + found.size());
			}
			return found.get(0);
		}

	}

	@SuppressWarnings("unchecked")
	static Object at(Object node, String path) {
		Object value = node;
		for (String part : path.split("\\.")) {
			if (value instanceof List<?> list) {
				value = list.get(Integer.parseInt(part));
			}
			else if (value instanceof Map<?, ?> map) {
				value = ((Map<String, Object>) map).get(part);
			}
			else {
				return null;
			}
		}
		return value;
	}

	@SuppressWarnings("unchecked")
	static String label(Map<String, Object> object, String name) {
		Map<String, Object> labels = (Map<String, Object>) at(object, "metadata.labels");
		return (labels != null) ? (String) labels.get(name) : null;
	}

}
