package io.eventgateway.common.kafka.security;

import java.util.List;
import java.util.Map;

/**
 * The TLS stores of a cluster's clients: the trust store that decides which broker
 * certificates are trusted (the JVM's default when absent) and the key store holding the
 * client's own certificate for brokers that require one.
 *
 * @param trustStoreLocation file of the trust store
 * @param trustStorePassword the trust store's password; a secret
 * @param trustStoreType PKCS12 (Kafka's default), JKS or PEM
 * @param keyStoreLocation file of the client's key store (certificate and private key)
 * @param keyStorePassword the key store's password; a secret
 * @param keyStoreType PKCS12 (Kafka's default), JKS or PEM
 * @param keyPassword the private key's password, when it differs from the store's; a
 * secret
 */
public record Ssl(String trustStoreLocation, String trustStorePassword, String trustStoreType, String keyStoreLocation,
		String keyStorePassword, String keyStoreType, String keyPassword) {

	/** Whether any TLS setting is given. */
	boolean isGiven() {
		return given(this.trustStoreLocation) || given(this.trustStorePassword) || given(this.trustStoreType)
				|| given(this.keyStoreLocation) || given(this.keyStorePassword) || given(this.keyStoreType)
				|| given(this.keyPassword);
	}

	void problems(String prefix, List<String> problems) {
		if (!given(this.keyStoreLocation) && (given(this.keyStorePassword) || given(this.keyPassword))) {
			problems.add(prefix + ".key-store-location is required when " + prefix + ".key-store-password or " + prefix
					+ ".key-password is set");
		}
		if (given(this.keyStoreLocation) && !isPem(this.keyStoreType) && !given(this.keyStorePassword)) {
			problems.add(prefix + ".key-store-password is required with " + prefix + ".key-store-location");
		}
		if (!given(this.trustStoreLocation) && given(this.trustStorePassword)) {
			problems.add(prefix + ".trust-store-location is required when " + prefix + ".trust-store-password is set");
		}
	}

	void putClientProperties(Map<String, Object> properties) {
		putIfGiven(properties, "ssl.truststore.location", this.trustStoreLocation);
		putIfGiven(properties, "ssl.truststore.password", this.trustStorePassword);
		putIfGiven(properties, "ssl.truststore.type", this.trustStoreType);
		putIfGiven(properties, "ssl.keystore.location", this.keyStoreLocation);
		putIfGiven(properties, "ssl.keystore.password", this.keyStorePassword);
		putIfGiven(properties, "ssl.keystore.type", this.keyStoreType);
		putIfGiven(properties, "ssl.key.password", this.keyPassword);
	}

	private static void putIfGiven(Map<String, Object> properties, String key, String value) {
		if (given(value)) {
			properties.put(key, value);
		}
	}

	private static boolean given(String value) {
		return value != null && !value.isEmpty();
	}

	private static boolean isPem(String type) {
		return "PEM".equalsIgnoreCase(type);
	}

	@Override
	public String toString() {
		return "Ssl[trustStoreLocation=" + this.trustStoreLocation + ", trustStorePassword="
				+ KafkaSecurity.redact(this.trustStorePassword) + ", trustStoreType=" + this.trustStoreType
				+ ", keyStoreLocation=" + this.keyStoreLocation + ", keyStorePassword="
				+ KafkaSecurity.redact(this.keyStorePassword) + ", keyStoreType=" + this.keyStoreType + ", keyPassword="
				+ KafkaSecurity.redact(this.keyPassword) + "]";
	}

}
