package io.eventgateway.common.kafka.security;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.Environment;

/**
 * Runs the {@link KafkaStartupCheck} before any bean exists, so that no Kafka client has
 * a chance to retry refused credentials first. Off with
 * {@code gateway.kafka.startup-check.enabled=false}; each cluster may take
 * {@code gateway.kafka.startup-check.timeout} (10 s) to answer.
 */
public class KafkaStartupCheckPostProcessor implements BeanFactoryPostProcessor {

	private final Environment environment;

	/**
	 * @param environment the role's settings
	 */
	public KafkaStartupCheckPostProcessor(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!this.environment.getProperty("gateway.kafka.startup-check.enabled", Boolean.class, true)) {
			return;
		}
		Duration timeout = this.environment.getProperty("gateway.kafka.startup-check.timeout", Duration.class,
				Duration.ofSeconds(10));
		Binder binder = Binder.get(this.environment);
		KafkaClusterSecurity security = KafkaClusterSecurity.bind(binder);
		Map<String, Object> primary = binder.bindOrCreate("spring.kafka", Bindable.of(KafkaProperties.class))
			.buildAdminProperties();
		new KafkaStartupCheck(security, (cluster) -> {
			Map<String, Object> properties = security.forCluster(cluster, primary);
			if (security.bootstrapServers(cluster) != null) {
				properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, security.bootstrapServers(cluster));
			}
			return properties;
		}, timeout).run();
	}

}
