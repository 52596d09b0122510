package io.eventgateway.configserver.security;

import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Decides, once at start, whether the config server has a client account, and refuses the
 * settings that would leave it open or half configured.
 *
 * <p>
 * A server without credentials starts only outside prod, and then locked: every request
 * but health is refused (401), so the roles run on their own defaults until the operator
 * sets the account. It never serves settings, decrypted secrets included, to anyone who
 * asks.
 */
public final class ClientCredentials {

	static final String SETTINGS = "gateway.config-server.username and gateway.config-server.password"
			+ " (env CONFIG_SERVER_USERNAME and CONFIG_SERVER_PASSWORD)";

	private static final Log logger = LogFactory.getLog(ClientCredentials.class);

	private static final String ROLE = "CONFIG_CLIENT";

	private ClientCredentials() {
	}

	/**
	 * The accounts allowed to read settings: the client account, or none (every request
	 * refused, said once in the log) when it is not configured.
	 * @param properties the configured account
	 * @param environment the stage, {@code gateway.environment}
	 * @param encoder how the password is kept
	 * @return the accounts
	 * @throws IllegalStateException as {@link #check}
	 */
	public static InMemoryUserDetailsManager accounts(ConfigServerSecurityProperties properties, String environment,
			PasswordEncoder encoder) {
		Optional<ConfigServerSecurityProperties> account = check(properties, environment);
		if (account.isEmpty()) {
			logger.warn("The config server has no client account, so it refuses every request but health (401)"
					+ " and the roles run on their own defaults: set " + SETTINGS
					+ " here and in every role (a prod server refuses to start without them)");
			return new InMemoryUserDetailsManager();
		}
		return new InMemoryUserDetailsManager(User.withUsername(account.get().username())
			.password(encoder.encode(account.get().password()))
			.roles(ROLE)
			.build());
	}

	/**
	 * The account the clients authenticate with, or empty when none is configured
	 * (outside prod only).
	 * @param properties the configured account
	 * @param environment the stage, {@code gateway.environment} (dev, staging or prod)
	 * @return the account, when both values are set
	 * @throws IllegalStateException when only one value is set, or none in prod
	 */
	public static Optional<ConfigServerSecurityProperties> check(ConfigServerSecurityProperties properties,
			String environment) {
		if (properties.bothSet()) {
			return Optional.of(properties);
		}
		if (properties.anySet()) {
			throw new IllegalStateException(
					"The config server's client account is half configured: set both " + SETTINGS + ", or neither");
		}
		if ("prod".equalsIgnoreCase(environment)) {
			throw new IllegalStateException("A prod config server (gateway.environment prod) needs a client account:"
					+ " set " + SETTINGS + "; the roles send the same values");
		}
		return Optional.empty();
	}

}
