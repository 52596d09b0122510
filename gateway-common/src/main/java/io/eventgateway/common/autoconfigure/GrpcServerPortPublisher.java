package io.eventgateway.common.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Publishes the port the gRPC server actually bound as {@code local.grpc.port}, the way
 * Spring Boot publishes {@code local.server.port}, so that a server started on port 0
 * (tests, several roles in one JVM) can be found by its clients.
 */
class GrpcServerPortPublisher implements ApplicationListener<GrpcServerStartedEvent> {

	static final String PROPERTY = "local.grpc.port";

	private static final String SOURCE_NAME = "grpc.ports";

	private final ConfigurableEnvironment environment;

	GrpcServerPortPublisher(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onApplicationEvent(GrpcServerStartedEvent event) {
		PropertySource<?> source = this.environment.getPropertySources().get(SOURCE_NAME);
		if (source == null) {
			source = new MapPropertySource(SOURCE_NAME, new HashMap<>());
			this.environment.getPropertySources().addFirst(source);
		}
		((Map<String, Object>) source.getSource()).put(PROPERTY, event.getPort());
	}

}
