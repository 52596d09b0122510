package io.eventgateway.common.environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps an instance on the clusters of its own environment: a staging or dev instance
 * refuses production hosts, a production instance refuses development defaults
 * (loopback), so a copied setting cannot point staging traffic at production or leave
 * production on a developer's default; a production instance also refuses to create
 * topics that a single broker's loss could empty.
 *
 * <p>
 * A host pattern is a host name or address, or {@code *.} and a domain for every host
 * under it.
 *
 * @param stage where this instance runs
 * @param productionHosts hosts only production may use
 * @param developmentHosts hosts production must not use
 */
public record EnvironmentRules(Stage stage, List<String> productionHosts, List<String> developmentHosts) {

	/** How many brokers a prod instance wants every accepted event on, at least. */
	private static final int MIN_PROD_REPLICAS = 2;

	public EnvironmentRules {
		productionHosts = List.copyOf(productionHosts);
		developmentHosts = List.copyOf(developmentHosts);
	}

	/**
	 * The broken rules among these settings, one message per offending key.
	 * @param addressesByKey setting key to its value, a comma-separated list of
	 * {@code host:port} addresses (a {@code SCHEME://} prefix is allowed)
	 */
	public List<String> violations(Map<String, String> addressesByKey) {
		List<String> violations = new ArrayList<>();
		addressesByKey.forEach((key, value) -> {
			for (String address : value.split(",")) {
				String host = host(address);
				if (host.isEmpty()) {
					continue;
				}
				if (this.stage != Stage.PROD && matchesAny(host, this.productionHosts)) {
					violations.add(key + " has production host '" + host + "', which a "
							+ this.stage.name().toLowerCase(Locale.ROOT) + " instance must not use"
							+ " (gateway.environment-rules.production-hosts)");
					break;
				}
				if (this.stage == Stage.PROD && matchesAny(host, this.developmentHosts)) {
					violations.add(key + " has development host '" + host
							+ "', which a prod instance must not use (gateway.environment-rules.development-hosts)");
					break;
				}
			}
		});
		return violations;
	}

	/**
	 * The broken rules about the replication of the topics this instance creates: a prod
	 * instance needs every accepted event on at least two brokers, so it refuses a
	 * replication factor of 1 and a {@code min.insync.replicas} below 2.
	 * @param replicationFactor {@code gateway.topics.replication-factor}
	 * @param minInsyncReplicas {@code gateway.topics.min-insync-replicas}
	 */
	public List<String> replicationViolations(short replicationFactor, int minInsyncReplicas) {
		List<String> violations = new ArrayList<>();
		if (this.stage != Stage.PROD) {
			return violations;
		}
		if (replicationFactor < MIN_PROD_REPLICAS) {
			violations.add("gateway.topics.replication-factor is " + replicationFactor
					+ ", which a prod instance must not use: losing one broker would lose accepted events"
					+ " (at least " + MIN_PROD_REPLICAS + ", usually 3)");
		}
		if (minInsyncReplicas < MIN_PROD_REPLICAS) {
			violations.add("gateway.topics.min-insync-replicas is " + minInsyncReplicas
					+ ", which a prod instance must not use: an event would count as accepted while only one"
					+ " broker has it (at least " + MIN_PROD_REPLICAS + ")");
		}
		return violations;
	}

	static String host(String address) {
		String trimmed = address.trim();
		int scheme = trimmed.indexOf("://");
		if (scheme >= 0) {
			trimmed = trimmed.substring(scheme + 3);
		}
		if (trimmed.startsWith("[")) {
			int end = trimmed.indexOf(']');
			return (end > 0) ? trimmed.substring(1, end).toLowerCase(Locale.ROOT) : trimmed;
		}
		int colon = trimmed.lastIndexOf(':');
		if (colon > 0 && trimmed.indexOf(':') == colon) {
			trimmed = trimmed.substring(0, colon);
		}
		int slash = trimmed.indexOf('/');
		if (slash >= 0) {
			trimmed = trimmed.substring(0, slash);
		}
		return trimmed.toLowerCase(Locale.ROOT);
	}

	private static boolean matchesAny(String host, List<String> patterns) {
		for (String pattern : patterns) {
			String p = pattern.trim().toLowerCase(Locale.ROOT);
			if (p.startsWith("*.") ? host.endsWith(p.substring(1)) : host.equals(p)) {
				return true;
			}
		}
		return false;
	}

}
