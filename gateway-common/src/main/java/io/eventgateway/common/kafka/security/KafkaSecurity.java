package io.eventgateway.common.kafka.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the clients of one Kafka cluster authenticate and encrypt: the protocol, a SASL
 * mechanism with its credentials, and TLS stores. Turned by {@link #clientProperties()}
 * into Kafka client properties; never shows a password or secret in {@link #toString()}.
 *
 * <p>
 * A {@code null} protocol means the settings were not given (the cluster inherits
 * another's, or uses whatever {@code spring.kafka.*} says).
 *
 * @param protocol {@code security.protocol}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param sasl the SASL mechanism and its credentials (SASL_* protocols only)
 * @param ssl the trust store and the client key store (SSL and SASL_SSL only)
 */
public record KafkaSecurity(Protocol protocol, Sasl sasl, Ssl ssl) {

	/** What {@link #toString()} shows instead of a secret. */
	static final String REDACTED = "******";

	public KafkaSecurity {
		sasl = (sasl != null) ? sasl : new Sasl(null, null, null, null);
		ssl = (ssl != null) ? ssl : new Ssl(null, null, null, null, null, null, null);
	}

	/** Whether these settings were given at all. */
	public boolean isDeclared() {
		return this.protocol != null;
	}

	/**
	 * What is missing or contradictory, one message per setting, each naming the setting
	 * under {@code prefix}.
	 * @param prefix where these settings live, {@code gateway.kafka.security} say
	 */
	public List<String> problems(String prefix) {
		List<String> problems = new ArrayList<>();
		if (!isDeclared()) {
			return problems;
		}
		if (this.protocol.usesSasl()) {
			this.sasl.problems(prefix + ".sasl", this.protocol, problems);
		}
		else if (this.sasl.mechanism() != null) {
			problems.add(prefix + ".sasl.mechanism is set but " + prefix + ".protocol " + this.protocol
					+ " does not use SASL (SASL_SSL or SASL_PLAINTEXT)");
		}
		if (this.protocol.usesTls()) {
			this.ssl.problems(prefix + ".ssl", problems);
		}
		else if (this.ssl.isGiven()) {
			problems.add(prefix + ".ssl.* is set but " + prefix + ".protocol " + this.protocol
					+ " does not use TLS (SSL or SASL_SSL)");
		}
		return problems;
	}

	/**
	 * The Kafka client properties these settings stand for ({@code security.protocol},
	 * {@code sasl.*}, {@code ssl.*}); empty when not declared.
	 */
	public Map<String, Object> clientProperties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		if (!isDeclared()) {
			return properties;
		}
		properties.put("security.protocol", this.protocol.name());
		if (this.protocol.usesSasl() && this.sasl.mechanism() != null) {
			this.sasl.putClientProperties(properties);
		}
		if (this.protocol.usesTls()) {
			this.ssl.putClientProperties(properties);
		}
		return properties;
	}

	/** Whether {@code key} is one of the client properties security settings own. */
	public static boolean isSecurityProperty(String key) {
		return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
	}

	@Override
	public String toString() {
		return "KafkaSecurity[protocol=" + this.protocol + ", sasl=" + this.sasl + ", ssl=" + this.ssl + "]";
	}

	static String redact(String secret) {
		return (secret == null || secret.isEmpty()) ? "<none>" : REDACTED;
	}

	/** The value of {@code security.protocol}. */
	public enum Protocol {

		/** Neither encrypted nor authenticated. */
		PLAINTEXT(false, false),

		/** TLS, optionally with a client certificate. */
		SSL(false, true),

		/** SASL without encryption: credentials travel readable. */
		SASL_PLAINTEXT(true, false),

		/** SASL over TLS. */
		SASL_SSL(true, true);

		private final boolean sasl;

		private final boolean tls;

		Protocol(boolean sasl, boolean tls) {
			this.sasl = sasl;
			this.tls = tls;
		}

		/** Whether clients authenticate with SASL. */
		public boolean usesSasl() {
			return this.sasl;
		}

		/** Whether connections are encrypted with TLS. */
		public boolean usesTls() {
			return this.tls;
		}

	}

	/** The value of {@code sasl.mechanism}. */
	public enum Mechanism {

		/** SCRAM with SHA-256: username and password. */
		SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),

		/** SCRAM with SHA-512: username and password. */
		SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"),

		/** Username and password sent as they are (use with TLS only). */
		PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),

		/** OAuth 2 client credentials: a token from the identity provider's endpoint. */
		OAUTHBEARER("OAUTHBEARER", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule");

		private final String kafkaName;

		private final String loginModule;

		Mechanism(String kafkaName, String loginModule) {
			this.kafkaName = kafkaName;
			this.loginModule = loginModule;
		}

		/** The mechanism's name in {@code sasl.mechanism}. */
		public String kafkaName() {
			return this.kafkaName;
		}

		/** The JAAS login module clients of this mechanism use. */
		public String loginModule() {
			return this.loginModule;
		}

	}

}
