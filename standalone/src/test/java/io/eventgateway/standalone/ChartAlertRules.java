package io.eventgateway.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert and recording rules of the Helm chart, rendered with embedded Helm exactly as
 * an installation would render its PrometheusRule, and written as a plain Prometheus
 * rules file (the PrometheusRule's {@code spec}).
 */
final class ChartAlertRules {

	/** The chart, from the standalone module's directory. */
	static final Path CHART = Path.of("../helm/event-gateway");

	/** A Kubernetes version the chart supports, for its capabilities check. */
	static final String KUBERNETES_VERSION = "1.31.0";

	private ChartAlertRules() {
	}

	/**
	 * Renders the chart with alerts on and the given {@code --set} pairs, and writes its
	 * PrometheusRule's rule groups to {@code rulesFile}.
	 */
	static Path write(Path rulesFile, Map<String, String> sets) throws IOException {
		TemplateCommand template = new Helm(CHART).template()
			.withName("eg")
			.withNamespace("events")
			.withKubeVersion(KUBERNETES_VERSION);
		template = template.set("alerts.enabled", "true");
		for (Map.Entry<String, String> set : sets.entrySet()) {
			template = template.set(set.getKey(), set.getValue());
		}
		String rendered = template.call();
		List<Object> rules = StreamSupport.stream(new Yaml().loadAll(rendered).spliterator(), false)
			.filter((document) -> document instanceof Map<?, ?> object && "PrometheusRule".equals(object.get("kind")))
			.map((document) -> (Object) ((Map<?, ?>) document).get("spec"))
			.toList();
		if (rules.size() != 1) {
			throw new IllegalStateException("The chart rendered " + rules.size() + " PrometheusRule objects, not one");
		}
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		Files.writeString(rulesFile, new Yaml(options).dump(rules.get(0)));
		return rulesFile;
	}

}
