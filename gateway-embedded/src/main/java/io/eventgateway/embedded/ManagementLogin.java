package io.eventgateway.embedded;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The management credentials (HTTP Basic on refresh, busrefresh, gateway, metrics, ...)
 * that every role of a standalone gateway shares: those given as
 * {@code --gateway.management.username/password}, else a fresh pair for this run.
 *
 * @param username the user name
 * @param password the password; never shown by {@link #toString()}
 * @param generated whether this run made them up (and must say where to find them)
 */
public record ManagementLogin(String username, String password, boolean generated) {

	static final String USERNAME_ARG = "--gateway.management.username=";

	static final String PASSWORD_ARG = "--gateway.management.password=";

	private static final String GENERATED_USERNAME = "gateway-admin";

	/** The credentials among these role arguments, or new ones when they hold none. */
	public static ManagementLogin from(List<String> roleArgs) {
		String username = last(roleArgs, USERNAME_ARG);
		String password = last(roleArgs, PASSWORD_ARG);
		if (username != null && password != null && !username.isBlank() && !password.isBlank()) {
			return new ManagementLogin(username, password, false);
		}
		if (username != null || password != null) {
			throw new IllegalArgumentException("--gateway.management.username and --gateway.management.password go"
					+ " together: give both, or neither to have a pair made up for this run");
		}
		byte[] secret = new byte[24];
		new SecureRandom().nextBytes(secret);
		return new ManagementLogin(GENERATED_USERNAME, Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
				true);
	}

	/** The role arguments that hand these credentials to a role. */
	List<String> roleArgs() {
		return List.of(USERNAME_ARG + this.username, PASSWORD_ARG + this.password);
	}

	/** {@code username:password}, as {@code curl -u} takes it. */
	public String curlUser() {
		return this.username + ":" + this.password;
	}

	@Override
	public String toString() {
		return "ManagementLogin[username=" + this.username + ", password=******]";
	}

	private static String last(List<String> args, String prefix) {
		String value = null;
		for (String arg : args) {
			if (arg.startsWith(prefix)) {
				value = arg.substring(prefix.length());
			}
		}
		return value;
	}

}
