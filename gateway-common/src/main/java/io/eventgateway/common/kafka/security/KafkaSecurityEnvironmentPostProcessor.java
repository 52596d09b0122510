package io.eventgateway.common.kafka.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Refuses incomplete Kafka security settings (naming each setting) and hands the primary
 * cluster's ({@code gateway.kafka.security.*}) to every Kafka client built from
 * {@code spring.kafka.*}: producers, consumers, admin clients, listener containers, the
 * bus binder and health checks alike.
 *
 * <p>
 * The primary's settings become {@code spring.kafka.properties.*} (and
 * {@code spring.kafka.security.protocol}) in a property source of the highest precedence,
 * so they win over the same keys set through {@code spring.kafka.*}. Without
 * {@code gateway.kafka.security.protocol} nothing is added and {@code spring.kafka.*}
 * works as before.
 */
public class KafkaSecurityEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The property source holding the primary's client properties. */
	static final String SOURCE_NAME = "gatewayKafkaSecurity";

	@Override
	public int getOrder() {
		// After the config data (files, config server), before the environment guard.
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		KafkaClusterSecurity security = KafkaClusterSecurity.bind(Binder.get(environment));
		List<String> problems = security.problems();
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Kafka security settings are incomplete: " + String.join("; ", problems));
		}
		security.allowTokenEndpoints();
		Map<String, Object> properties = new LinkedHashMap<>();
		KafkaSecurity primary = security.declared(KafkaCluster.PRIMARY);
		primary.clientProperties()
			.forEach((key, value) -> properties.put("spring.kafka.properties[" + key + "]", value));
		environment.getPropertySources().remove(SOURCE_NAME);
		if (!properties.isEmpty()) {
			properties.put("spring.kafka.security.protocol", primary.protocol().name());
			environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, properties));
		}
	}

}
