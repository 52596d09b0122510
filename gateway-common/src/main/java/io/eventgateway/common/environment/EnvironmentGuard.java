package io.eventgateway.common.environment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Refuses to start an instance whose cluster addresses break its environment's rules,
 * naming each offending key.
 */
public final class EnvironmentGuard {

	private final EnvironmentRules rules;

	/**
	 * Checks the settings now.
	 * @throws IllegalStateException when a rule is broken
	 */
	public EnvironmentGuard(Environment environment, EnvironmentProperties properties) {
		Stage stage = stage(environment.getProperty("gateway.environment", "dev"));
		this.rules = new EnvironmentRules(stage, properties.productionHosts(), properties.developmentHosts());
		Map<String, String> addresses = new LinkedHashMap<>();
		Binder binder = Binder.get(environment);
		for (String key : properties.guardedKeys()) {
			binder.bind(key, String[].class).ifBound((values) -> addresses.put(key, String.join(",", values)));
		}
		List<String> violations = this.rules.violations(addresses);
		if (!violations.isEmpty()) {
			throw new IllegalStateException("gateway.environment=" + stage.name().toLowerCase(Locale.ROOT)
					+ " refuses these settings: " + String.join("; ", violations));
		}
	}

	/** The rules in force. */
	public EnvironmentRules rules() {
		return this.rules;
	}

	private static Stage stage(String value) {
		try {
			return Stage.valueOf(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(
					"gateway.environment must be one of dev, staging, prod; was '" + value + "'");
		}
	}

}
