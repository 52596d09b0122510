package io.eventgateway.common.environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import io.eventgateway.common.autoconfigure.GatewayRole;
import io.eventgateway.common.autoconfigure.GatewayTopicsProperties;
import io.eventgateway.common.kafka.security.KafkaClusterSecurity;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Refuses to start an instance whose cluster addresses, Kafka security protocol or topic
 * replication break its environment's rules, naming each offending key. Runs once every
 * settings source (files, the config server, the shared defaults) is in place and before
 * any bean exists, so no client ever connects to a forbidden cluster.
 *
 * <p>
 * Guards the gateway's roles only ({@link GatewayRole}): a team's application that brings
 * a gateway library answers to its own rules.
 */
public class EnvironmentGuard implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (GatewayRole.of(environment)) {
			check(environment);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Checks the cluster addresses, and the replication of the topics it creates, of an
	 * environment.
	 * @return the rules in force
	 * @throws EnvironmentRulesViolation when a rule is broken
	 */
	public static EnvironmentRules check(Environment environment) {
		Binder binder = Binder.get(environment);
		Stage stage = stage(environment.getProperty("gateway.environment", "dev"));
		EnvironmentRules rules = rules(binder, stage);
		List<String> violations = new ArrayList<>(rules.violations(guardedAddresses(binder, (key) -> true)));
		// Replication matters only for the topics this instance creates; where topics are
		// managed elsewhere (gateway.topics.create=false) their owner decides.
		GatewayTopicsProperties topics = binder.bindOrCreate("gateway.topics",
				Bindable.of(GatewayTopicsProperties.class));
		if (topics.create()) {
			violations.addAll(rules.replicationViolations(topics.replicationFactor(), topics.minInsyncReplicas()));
		}
		// A prod instance reaches none of its Kafka clusters in clear text.
		violations.addAll(KafkaClusterSecurity.bind(binder).violations(stage));
		if (!violations.isEmpty()) {
			throw new EnvironmentRulesViolation("gateway.environment=" + stage.name().toLowerCase(Locale.ROOT)
					+ " refuses these settings: " + String.join("; ", violations));
		}
		return rules;
	}

	/**
	 * The broken rules among the cluster addresses an environment holds now under the
	 * guarded keys that a filter selects: what a hot change of those keys must pass
	 * before it takes effect (the start-time check covers the rest).
	 * @param environment the environment, with the changed values in it
	 * @param keys which guarded keys to check (for example those under one settings
	 * prefix)
	 * @return one message per offending key, naming it; empty when the rules hold
	 */
	public static List<String> addressViolations(Environment environment, Predicate<String> keys) {
		Binder binder = Binder.get(environment);
		Stage stage = stage(environment.getProperty("gateway.environment", "dev"));
		List<String> violations = rules(binder, stage).violations(guardedAddresses(binder, keys));
		return violations.stream()
			.map((violation) -> "gateway.environment=" + stage.name().toLowerCase(Locale.ROOT) + " refuses "
					+ violation)
			.toList();
	}

	private static EnvironmentRules rules(Binder binder, Stage stage) {
		EnvironmentProperties properties = environmentProperties(binder);
		return new EnvironmentRules(stage, properties.productionHosts(), properties.developmentHosts());
	}

	/** The cluster addresses under the guarded keys a filter selects, by key. */
	private static Map<String, String> guardedAddresses(Binder binder, Predicate<String> keys) {
		Map<String, String> addresses = new LinkedHashMap<>();
		for (String key : environmentProperties(binder).guardedKeys()) {
			if (keys.test(key)) {
				binder.bind(key, String[].class).ifBound((values) -> addresses.put(key, String.join(",", values)));
			}
		}
		return addresses;
	}

	private static EnvironmentProperties environmentProperties(Binder binder) {
		return binder.bindOrCreate("gateway.environment-rules", Bindable.of(EnvironmentProperties.class));
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
