package io.eventgateway.configserver.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may read settings from this config server: one client account shared by every role,
 * sent with HTTP Basic (the roles' {@code spring.cloud.config.username/password}).
 *
 * @param username the clients' user name ({@code CONFIG_SERVER_USERNAME}); empty for none
 * @param password the clients' password ({@code CONFIG_SERVER_PASSWORD}); empty for none.
 * Only its SHA-256 digest is kept once the server has started
 */
@ConfigurationProperties("gateway.config-server")
public record ConfigServerSecurityProperties(String username, String password) {

	/** Whether either value is set. */
	boolean anySet() {
		return hasText(this.username) || hasText(this.password);
	}

	/** Whether both values are set. */
	boolean bothSet() {
		return hasText(this.username) && hasText(this.password);
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	@Override
	public String toString() {
		return "ConfigServerSecurityProperties[username=" + this.username + ", password=******]";
	}

}
