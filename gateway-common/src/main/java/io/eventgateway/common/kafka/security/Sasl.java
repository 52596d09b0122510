package io.eventgateway.common.kafka.security;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A SASL mechanism and its credentials: username and password for SCRAM and PLAIN, an
 * OAuth client for OAUTHBEARER.
 *
 * @param mechanism SCRAM-SHA-256, SCRAM-SHA-512, PLAIN or OAUTHBEARER
 * @param username the user (SCRAM, PLAIN)
 * @param password the user's password (SCRAM, PLAIN); a secret
 * @param oauthbearer the OAuth client (OAUTHBEARER)
 */
public record Sasl(KafkaSecurity.Mechanism mechanism, String username, String password, Oauthbearer oauthbearer) {

	/** The callback handler that fetches tokens from an OAuth token endpoint. */
	static final String OAUTH_LOGIN_CALLBACK_HANDLER = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

	public Sasl {
		oauthbearer = (oauthbearer != null) ? oauthbearer : new Oauthbearer(null, null, null);
	}

	void problems(String prefix, KafkaSecurity.Protocol protocol, List<String> problems) {
		if (this.mechanism == null) {
			problems.add(prefix + ".mechanism is required with protocol " + protocol
					+ " (SCRAM-SHA-256, SCRAM-SHA-512, PLAIN or OAUTHBEARER)");
			return;
		}
		if (this.mechanism == KafkaSecurity.Mechanism.OAUTHBEARER) {
			this.oauthbearer.problems(prefix + ".oauthbearer", problems);
			return;
		}
		requireJaasValue(prefix + ".username", this.username, this.mechanism, problems);
		requireJaasValue(prefix + ".password", this.password, this.mechanism, problems);
	}

	void putClientProperties(Map<String, Object> properties) {
		properties.put("sasl.mechanism", this.mechanism.kafkaName());
		if (this.mechanism == KafkaSecurity.Mechanism.OAUTHBEARER) {
			properties.put("sasl.jaas.config", this.mechanism.loginModule() + " required;");
			properties.put("sasl.login.callback.handler.class", OAUTH_LOGIN_CALLBACK_HANDLER);
			properties.put("sasl.oauthbearer.token.endpoint.url", this.oauthbearer.tokenEndpointUrl());
			properties.put("sasl.oauthbearer.client.credentials.client.id", this.oauthbearer.clientId());
			properties.put("sasl.oauthbearer.client.credentials.client.secret", this.oauthbearer.clientSecret());
			return;
		}
		properties.put("sasl.jaas.config", this.mechanism.loginModule() + " required username=" + quoted(this.username)
				+ " password=" + quoted(this.password) + ";");
	}

	/**
	 * A JAAS option value as a quoted string: Kafka's JAAS parser reads backslash escapes
	 * inside quotes, so backslashes and quotes are escaped; line breaks end a quoted
	 * string and are refused by validation.
	 */
	static String quoted(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static void requireJaasValue(String key, String value, KafkaSecurity.Mechanism mechanism,
			List<String> problems) {
		if (value == null || value.isEmpty()) {
			problems.add(key + " is required with mechanism " + mechanism.kafkaName());
		}
		else if (value.chars().anyMatch((c) -> c == '\n' || c == '\r')) {
			problems.add(key + " must not contain a line break");
		}
	}

	@Override
	public String toString() {
		return "Sasl[mechanism=" + ((this.mechanism != null) ? this.mechanism.kafkaName() : null) + ", username="
				+ this.username + ", password=" + KafkaSecurity.redact(this.password) + ", oauthbearer="
				+ this.oauthbearer + "]";
	}

	/**
	 * An OAuth 2 client that takes tokens from its identity provider's token endpoint
	 * (client credentials grant).
	 *
	 * @param tokenEndpointUrl the identity provider's token endpoint (http or https);
	 * Kafka only calls URLs allowed by the
	 * {@code org.apache.kafka.sasl.oauthbearer.allowed.urls} system property, which the
	 * gateway extends with this one
	 * @param clientId the client's id
	 * @param clientSecret the client's secret; a secret
	 */
	public record Oauthbearer(String tokenEndpointUrl, String clientId, String clientSecret) {

		void problems(String prefix, List<String> problems) {
			if (this.tokenEndpointUrl == null || this.tokenEndpointUrl.isEmpty()) {
				problems.add(prefix + ".token-endpoint-url is required with mechanism OAUTHBEARER");
			}
			else if (!isHttpUrl(this.tokenEndpointUrl)) {
				problems.add(prefix + ".token-endpoint-url must be an http or https URL; was '" + this.tokenEndpointUrl
						+ "'");
			}
			if (this.clientId == null || this.clientId.isEmpty()) {
				problems.add(prefix + ".client-id is required with mechanism OAUTHBEARER");
			}
			if (this.clientSecret == null || this.clientSecret.isEmpty()) {
				problems.add(prefix + ".client-secret is required with mechanism OAUTHBEARER");
			}
		}

		private static boolean isHttpUrl(String url) {
			try {
				URI uri = new URI(url);
				return ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
						&& uri.getHost() != null;
			}
			catch (java.net.URISyntaxException ex) {
				return false;
			}
		}

		@Override
		public String toString() {
			return "Oauthbearer[tokenEndpointUrl=" + this.tokenEndpointUrl + ", clientId=" + this.clientId
					+ ", clientSecret=" + KafkaSecurity.redact(this.clientSecret) + "]";
		}

	}

}
