package io.eventgateway.common.management;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventgateway.common.environment.Stage;

/**
 * The one user allowed to call the management endpoints that change state or show
 * settings ({@code refresh}, {@code busrefresh}, {@code gateway}, {@code metrics}, ...),
 * or nobody when none is configured.
 *
 * <p>
 * Holds only SHA-256 digests of the name and password, compared in constant time, so
 * neither a heap dump nor {@link #toString()} shows the password and a caller cannot
 * learn it from how long a refusal takes. Immutable and thread-safe.
 */
public final class ManagementCredentials {

	/** The settings that hold the credentials, for messages. */
	public static final String SETTINGS = "gateway.management.username and gateway.management.password"
			+ " (environment GATEWAY_MANAGEMENT_USERNAME and GATEWAY_MANAGEMENT_PASSWORD)";

	private static final Logger log = LoggerFactory.getLogger(ManagementCredentials.class);

	private static final ManagementCredentials NONE = new ManagementCredentials(null, null);

	private final byte @Nullable [] username;

	private final byte @Nullable [] password;

	private ManagementCredentials(byte @Nullable [] username, byte @Nullable [] password) {
		this.username = username;
		this.password = password;
	}

	/**
	 * The credentials of these settings, refusing an instance of {@code stage} that has
	 * none when it must.
	 * @param username {@code gateway.management.username}, blank when unset
	 * @param password {@code gateway.management.password}, blank when unset
	 * @param stage where the instance runs: a prod instance needs credentials
	 * @throws IllegalStateException in prod without credentials, naming both settings
	 */
	public static ManagementCredentials of(@Nullable String username, @Nullable String password, Stage stage) {
		if (isBlank(username) || isBlank(password)) {
			if (stage == Stage.PROD) {
				throw new IllegalStateException("gateway.environment=" + stage.name().toLowerCase(Locale.ROOT)
						+ " refuses to start without management credentials: set " + SETTINGS);
			}
			log.warn("No management credentials are set, so refresh, busrefresh, gateway, metrics and every other"
					+ " management endpoint except health, info and prometheus answer 401 to everyone; to use them, set "
					+ SETTINGS);
			return NONE;
		}
		return new ManagementCredentials(sha256(username), sha256(password));
	}

	/** Whether a user is configured; without one, every authenticated call is refused. */
	public boolean configured() {
		return this.username != null;
	}

	/**
	 * Whether these are the configured name and password; always {@code false} when none
	 * are configured. Compares digests in constant time, the password even when the name
	 * is wrong.
	 */
	public boolean matches(String username, String password) {
		if (this.username == null || this.password == null) {
			return false;
		}
		boolean name = MessageDigest.isEqual(this.username, sha256(username));
		boolean secret = MessageDigest.isEqual(this.password, sha256(password));
		return name & secret;
	}

	@Override
	public String toString() {
		return configured() ? "ManagementCredentials[configured]" : "ManagementCredentials[none]";
	}

	private static boolean isBlank(@Nullable String value) {
		return value == null || value.isBlank();
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
	}

}
