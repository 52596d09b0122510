package io.eventgateway.ingest.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eventgateway.ingest.event.Candidate;

/**
 * Who a request speaks for: the company an API key belongs to. With no keys configured
 * every request is open and events name their company themselves (for development and the
 * standalone demo; a production environment refuses to start that way).
 *
 * <p>
 * Immutable and thread-safe.
 */
public class ApiKeys {

	/** The header (HTTP) or metadata key (gRPC) carrying the key. */
	public static final String HEADER = "X-Api-Key";

	private final Map<String, String> companiesByKey;

	/**
	 * @param companiesByKey API key to company id
	 */
	public ApiKeys(Map<String, String> companiesByKey) {
		this.companiesByKey = Map.copyOf(companiesByKey);
	}

	/** Whether requests must carry a key. */
	public boolean required() {
		return !this.companiesByKey.isEmpty();
	}

	/**
	 * The company a request speaks for, or {@code null} when keys are not required.
	 * @throws AccessDeniedException (unauthenticated) when the key is missing or unknown
	 */
	public String companyFor(String apiKey) {
		if (!required()) {
			return null;
		}
		if (apiKey == null || apiKey.isBlank()) {
			throw AccessDeniedException.unauthenticated("is required");
		}
		String company = this.companiesByKey.get(apiKey);
		if (company == null) {
			throw AccessDeniedException.unauthenticated("is not a known API key");
		}
		return company;
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
