package io.eventgateway.common.autoconfigure;

import java.util.Set;

import org.springframework.core.env.Environment;

/**
 * Decides whether an application is one of the gateway's own roles (ingest, publisher,
 * orchestrator, worker) rather than a team's application that only brings a gateway
 * library, such as the worker starter.
 *
 * <p>
 * Everything that shapes a whole application (the shared defaults of
 * {@code gateway-defaults.yml}, the environment guard, the locked management plane, topic
 * creation, the sampler) applies to roles only: a team's application keeps its own
 * settings and security.
 */
public final class GatewayRole {

	/** The setting {@link GatewayApplications} gives every role it builds. */
	public static final String PROPERTY = "gateway.role";

	/**
	 * The settings files of the roles: tests and tools that start a role by its
	 * {@code spring.config.name} alone are roles too.
	 */
	static final Set<String> ROLE_CONFIG_NAMES = Set.of("ingest-app", "publisher-app", "orchestrator-app",
			"worker-app");

	private GatewayRole() {
	}

	/**
	 * Whether an environment is a gateway role's.
	 * @param environment the application's environment, with its default properties and
	 * command-line arguments in place
	 * @return {@code true} when {@code gateway.role} is set or {@code spring.config.name}
	 * names a role's settings file
	 */
	public static boolean of(Environment environment) {
		String role = environment.getProperty(PROPERTY);
		if (role != null && !role.isBlank()) {
			return true;
		}
		String configName = environment.getProperty("spring.config.name");
		return configName != null && ROLE_CONFIG_NAMES.contains(configName.trim());
	}

}
