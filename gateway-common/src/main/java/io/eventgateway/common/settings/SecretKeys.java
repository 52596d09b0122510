package io.eventgateway.common.settings;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells which settings hold secrets, by name, so that whatever shows settings (the
 * {@code gateway} actuator endpoints, logs, {@code toString}) can mask their values.
 *
 * <p>
 * A name is secret when, ignoring case and the separators {@code -}, {@code _} and
 * {@code .}, it contains password, passphrase, secret, token, credential, apikey, jaas,
 * privatekey, accesskey, signingkey or encryptkey, except a name ending in url or uri (an
 * OAuth token endpoint is an address, not a secret): an address is shown without the
 * credentials it may carry ({@code https://user:pass@host} shows as
 * {@code https://******@host}). Stateless and thread-safe.
 */
public final class SecretKeys {

	/** What a secret value is shown as. */
	public static final String MASK = "******";

	private static final List<String> SECRET_WORDS = List.of("password", "passphrase", "secret", "token", "credential",
			"apikey", "jaas", "privatekey", "accesskey", "signingkey", "encryptkey");

	/** The user information of an address: {@code scheme://user:password@}. */
	private static final Pattern USER_INFO = Pattern.compile("(://)[^/@\\s]+@");

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

	/**
	 * A setting's name as it may be logged: every segment after a secret one is masked,
	 * since a map under a secret name keeps secrets in its keys
	 * ({@code gateway.ingest.api-keys.<key>} becomes
	 * {@code gateway.ingest.api-keys.******}).
	 */
	public static String maskedName(String name) {
		String[] segments = name.split("\\.");
		StringBuilder masked = new StringBuilder();
		boolean secret = false;
		for (String segment : segments) {
			masked.append((masked.length() > 0) ? "." : "");
			if (secret) {
				masked.append(MASK);
				break;
			}
			masked.append(segment);
			secret = isSecret(segment.replaceAll("\\[.*", ""));
			if (secret && segment.contains("[")) {
				// api-keys[the-key]: the bracketed part is the map key.
				masked.setLength(masked.length() - segment.length() + segment.indexOf('['));
				masked.append("[").append(MASK).append("]");
				break;
			}
		}
		return masked.toString();
	}

	/** The value to show for a setting: its own, or {@link #MASK} when it is secret. */
	public static Object shown(String name, Object value) {
		if (value != null && isSecret(name)) {
			return MASK;
		}
		if (value instanceof String text && text.contains("@")) {
			return USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
		}
		return value;
	}

}
