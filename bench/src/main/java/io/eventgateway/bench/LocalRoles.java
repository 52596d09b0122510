package io.eventgateway.bench;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.eventgateway.common.autoconfigure.GatewayApplications;
import io.eventgateway.worker.processor.EventProcessor;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Starts single gateway roles in this JVM on loopback and free ports, for setups that are
 * not the whole gateway of {@code GatewayCluster}: the FIFO baseline's front door (ingest
 * and publisher only), or the roles around an orchestrator that runs in a JVM of its own.
 */
final class LocalRoles {

	private LocalRoles() {
	}

	/**
	 * Starts a role whose application class and name are given, on the broker, with
	 * arguments after the benchmark's defaults (a later one of the same key wins).
	 * @param processor the worker's processor, or {@code null} for a role that has none
	 */
	static ConfigurableApplicationContext start(Class<?> application, String role, String bootstrapServers,
			List<String> args, @Nullable EventProcessor processor) {
		List<String> all = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers,
				"--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
				"--spring.cloud.bus.enabled=false", "--spring.cloud.config.enabled=false",
				"--gateway.topics.partitions=6", "--logging.level.root=WARN", "--logging.level.io.eventgateway=WARN"));
		if (processor == null) {
			// Every role but the worker serves gRPC.
			all.addAll(List.of("--spring.grpc.server.port=0", "--spring.grpc.server.host=127.0.0.1"));
		}
		all.addAll(args);
		SpringApplicationBuilder builder = GatewayApplications.builder(application, role).main(application);
		if (processor != null) {
			builder.initializers((context) -> ((GenericApplicationContext) context).registerBean(EventProcessor.class,
					() -> processor));
		}
		return builder.run(all.toArray(String[]::new));
	}

	/** The gRPC port a started role listens on. */
	static int grpcPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.grpc.port", Integer.class);
	}

	/** Closes the contexts given, in order, skipping those never started. */
	static void close(@Nullable ConfigurableApplicationContext... contexts) {
		for (ConfigurableApplicationContext context : contexts) {
			if (context != null) {
				context.close();
			}
		}
	}

}
