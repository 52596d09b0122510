package io.eventgateway.common.autoconfigure;

import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Builds the Spring application of one gateway role.
 *
 * <p>
 * Each role reads its defaults from {@code <role>.yml} rather than
 * {@code application.yml}, so that every role can share one classpath (the standalone
 * mode) without one role's file shadowing another's. The role name is also the
 * application name the config server serves settings for, and {@code gateway.role} marks
 * the application as a role ({@link GatewayRole}) so that the gateway's shared defaults,
 * guard and management security apply to it.
 */
public final class GatewayApplications {

	private GatewayApplications() {
	}

	/** A builder for the role whose main class and name are given. */
	public static SpringApplicationBuilder builder(Class<?> mainClass, String role) {
		return new SpringApplicationBuilder(mainClass).properties("spring.config.name=" + role,
				"spring.application.name=" + role, GatewayRole.PROPERTY + "=" + role);
	}

}
