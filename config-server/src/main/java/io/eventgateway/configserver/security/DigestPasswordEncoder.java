package io.eventgateway.configserver.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Keeps a password as its SHA-256 digest and compares digests in constant time.
 *
 * <p>
 * The client password is a generated machine secret checked on every settings request, so
 * a slow hash (bcrypt) would only cost CPU at each refresh of the fleet; what matters is
 * that no clear value stays in memory and that the comparison leaks no timing.
 * Thread-safe.
 */
final class DigestPasswordEncoder implements PasswordEncoder {

	@Override
	public String encode(CharSequence rawPassword) {
		return HexFormat.of().formatHex(digest(rawPassword));
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		if (rawPassword == null || encodedPassword == null) {
			return false;
		}
		byte[] expected;
		try {
			expected = HexFormat.of().parseHex(encodedPassword);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(digest(rawPassword), expected);
	}

	private static byte[] digest(CharSequence value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.toString().getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
