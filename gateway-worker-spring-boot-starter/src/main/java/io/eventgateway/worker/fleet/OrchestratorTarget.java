package io.eventgateway.worker.fleet;

/**
 * One entry of {@code gateway.worker.orchestrators}: a host name (or address) that
 * resolves to one or more orchestrator replicas, all serving on the same port.
 *
 * @param host the host name or literal address; a headless service's name resolves to
 * every ready replica
 * @param port the orchestrator's gRPC port
 */
public record OrchestratorTarget(String host, int port) {

	/** The setting the targets come from, named in every error about them. */
	public static final String SETTING = "gateway.worker.orchestrators";

	public OrchestratorTarget {
		if (host == null || host.isBlank()) {
			throw new IllegalArgumentException(SETTING + " has an entry without a host");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException(SETTING + " entry " + host + " has port " + port + ", outside 1-65535");
		}
	}

	/**
	 * Reads a {@code host:port} entry; an IPv6 literal goes in brackets
	 * ({@code [::1]:9082}).
	 * @param entry one entry of the setting
	 * @return the target
	 * @throws IllegalArgumentException naming the setting when the entry is not
	 * {@code host:port}
	 */
	public static OrchestratorTarget parse(String entry) {
		String trimmed = (entry != null) ? entry.trim() : "";
		int colon = trimmed.lastIndexOf(':');
		if (colon <= 0 || colon == trimmed.length() - 1) {
			throw new IllegalArgumentException(SETTING
					+ " entries must be host:port (for example orchestrator-headless:9082), was '" + entry + "'");
		}
		String host = trimmed.substring(0, colon);
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		int port;
		try {
			port = Integer.parseInt(trimmed.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(SETTING + " entry '" + entry + "' has no numeric port");
		}
		return new OrchestratorTarget(host, port);
	}

	@Override
	public String toString() {
		return (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

}
