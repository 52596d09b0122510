package io.eventgateway.common.autoconfigure;

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
 * Adds {@code gateway-defaults.yml}, the settings every role shares (Kafka durability,
 * gRPC server mode, exposed actuator endpoints), as the lowest-precedence property
 * source: a role's own file, the config server, the environment and the command line all
 * override it.
 *
 * <p>
 * Roles only ({@link GatewayRole}): a team's application that brings a gateway library
 * keeps its own settings.
 */
public class GatewayDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String RESOURCE = "gateway-defaults.yml";

	@Override
	public int getOrder() {
		// Before the environment guard, which needs the defaults to judge them.
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!GatewayRole.of(environment)) {
			return;
		}
		try {
			for (PropertySource<?> source : new YamlPropertySourceLoader().load("gatewayDefaults",
					new ClassPathResource(RESOURCE, getClass().getClassLoader()))) {
				environment.getPropertySources().addLast(source);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + RESOURCE, ex);
		}
	}

}
