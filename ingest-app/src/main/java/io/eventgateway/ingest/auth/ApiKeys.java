package io.eventgateway.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventgateway.ingest.event.Candidate;

/**
 * Who a request speaks for: the company an API key belongs to. With no keys configured
 * every request is open and events name their company themselves (for development and the
 * standalone demo; a production environment refuses to start that way).
 *
 * <p>
 * Keys are held as SHA-256 digests only, so the settings can hold digests rather than
 * keys, and a lookup never branches on the key's characters ({@code Map.get} on the raw
 * key would).
 *
 * <p>
 * Immutable and thread-safe.
 */
public class ApiKeys {

	/** The header (HTTP) or metadata key (gRPC) carrying the key. */
	public static final String HEADER = "X-Api-Key";

	/** How a key given as its digest starts: {@code sha256:} and 64 hex digits. */
	public static final String DIGEST_PREFIX = "sha256:";

	private static final Pattern DIGEST = Pattern.compile("(?i)sha256:?([0-9a-f]{64})");

	private final List<Entry> entries;

	/**
	 * @param companiesByKey API key to company id; a key is the key itself, or
	 * {@code sha256:} and the hex SHA-256 digest of it ({@code sha256} and the 64 digits
	 * is read as a digest too: Spring drops the colon from a map key that is not written
	 * in brackets, and a digest must never work as a key)
	 * @throws IllegalArgumentException naming {@code gateway.ingest.api-keys} (and the
	 * company, never the key) when a digest is malformed
	 */
	public ApiKeys(Map<String, String> companiesByKey) {
		List<Entry> entries = new ArrayList<>(companiesByKey.size());
		companiesByKey.forEach((key, company) -> entries.add(new Entry(digestOf(key, company), company)));
		this.entries = List.copyOf(entries);
	}

	/** Whether requests must carry a key. */
	public boolean required() {
		return !this.entries.isEmpty();
	}

	/**
	 * The company a request speaks for, or {@code null} when keys are not required. The
	 * key is compared by digest with every configured one, in time that does not depend
	 * on which (or whether any) matches.
	 * @throws AccessDeniedException (unauthenticated) when the key is missing or unknown
	 */
	public String companyFor(String apiKey) {
		if (!required()) {
			return null;
		}
		if (apiKey == null || apiKey.isBlank()) {
			throw AccessDeniedException.unauthenticated("is required");
		}
		byte[] presented = sha256(apiKey);
		String company = null;
		for (Entry entry : this.entries) {
			// No early exit: every entry is compared whatever the outcome.
			if (MessageDigest.isEqual(entry.digest(), presented)) {
				company = entry.company();
			}
		}
		if (company == null) {
			throw AccessDeniedException.unauthenticated("is not a known API key");
		}
		return company;
	}

	/** Whether a configured key is given as its digest rather than as the key itself. */
	public static boolean isDigest(String configured) {
		return DIGEST.matcher(configured).matches();
	}

	/** The SHA-256 digest of a key's UTF-8 bytes. */
	public static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
	}

	/** How to configure a key without writing it down: {@code sha256:} and its digest. */
	public static String digestSetting(String key) {
		return DIGEST_PREFIX + HexFormat.of().formatHex(sha256(key));
	}

	private static byte[] digestOf(String configured, String company) {
		Matcher digest = DIGEST.matcher(configured);
		if (digest.matches()) {
			return HexFormat.of().parseHex(digest.group(1).toLowerCase(Locale.ROOT));
		}
		if (configured.regionMatches(true, 0, DIGEST_PREFIX, 0, DIGEST_PREFIX.length())) {
			throw new IllegalArgumentException("gateway.ingest.api-keys: the key of company '" + company
					+ "' starts with '" + DIGEST_PREFIX + "' but is not followed by the 64 hex digits of a SHA-256"
					+ " digest; in YAML write it in brackets and quotes: \"[sha256:<64 hex>]\": " + company);
		}
		return sha256(configured);
	}

	/**
	 * One configured key.
	 *
	 * @param digest the SHA-256 digest of the key
	 * @param company the company it speaks for
	 */
	private record Entry(byte[] digest, String company) {
	}

	/**
	 * Attributes every well-formed event to the key's company.
	 * @param company the key's company, or {@code null} when keys are not required
	 * @throws AccessDeniedException (forbidden) when an event names another company
	 */
	public static List<Candidate> attribute(String company, List<Candidate> candidates) {
		if (company == null) {
			return candidates;
		}
		List<Candidate> attributed = new ArrayList<>(candidates.size());
		for (Candidate candidate : candidates) {
			if (!candidate.isValid()) {
				attributed.add(candidate);
				continue;
			}
			String named = candidate.event().companyId();
			if (named != null && !named.isEmpty() && !named.equals(company)) {
				throw AccessDeniedException.forbidden("events[" + candidate.index() + "].company_id",
						"does not match the company of the API key");
			}
			attributed.add(Candidate.valid(candidate.index(), candidate.event().withCompany(company)));
		}
		return attributed;
	}

}
