package io.eventgateway.worker.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code gateway-worker-defaults.yml}, the settings a worker needs beyond Spring's
 * own defaults (the inbound limit of the orchestrator channel), as the lowest-precedence
 * property source: the application's own files, the environment and the command line all
 * override it.
 *
 * <p>
 * It holds only settings no other role reads, since every role sharing the classpath with
 * a worker (the standalone mode) gets them too.
 */
public class WorkerDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String RESOURCE = "gateway-worker-defaults.yml";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			for (PropertySource<?> source : new YamlPropertySourceLoader().load("gatewayWorkerDefaults",
					new ClassPathResource(RESOURCE, getClass().getClassLoader()))) {
				environment.getPropertySources().addLast(source);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + RESOURCE, ex);
		}
	}

}
