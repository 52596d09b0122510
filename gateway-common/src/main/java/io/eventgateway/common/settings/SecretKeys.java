package io.eventgateway.common.settings;

import java.util.List;
import java.util.Locale;

/**
 * Tells which settings hold secrets, by name, so that whatever shows settings (the
 * {@code gateway} actuator endpoints, logs, {@code toString}) can mask their values.
 *
 * <p>
 * A name is secret when, ignoring case and the separators {@code -}, {@code _} and
 * {@code .}, it contains password, secret, token, credential, apikey, jaas or privatekey,
 * except a name ending in url or uri (an OAuth token endpoint is an address, not a
 * secret). Stateless and thread-safe.
 */
public final class SecretKeys {

	/** What a secret value is shown as. */
	public static final String MASK = "******";

	private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "credential", "apikey",
			"jaas", "privatekey");

	private SecretKeys() {
	}

	/**
	 * Whether a setting of this name holds a secret.
	 * @param name a full key ({@code spring.kafka.properties.sasl.jaas.config}), a last
	 * segment ({@code api-keys}) or a record component ({@code trustStorePassword})
	 */
	public static boolean isSecret(String name) {
		if (name == null) {
			return false;
		}
		String normalized = name.toLowerCase(Locale.ROOT).replaceAll("[-_.\\[\\]]", "");
		if (normalized.endsWith("url") || normalized.endsWith("uri")) {
			return false;
		}
		for (String word : SECRET_WORDS) {
			if (normalized.contains(word)) {
				return true;
			}
		}
		return false;
	}

	/** The value to show for a setting: its own, or {@link #MASK} when it is secret. */
	public static Object shown(String name, Object value) {
		return (value != null && isSecret(name)) ? MASK : value;
	}

}
