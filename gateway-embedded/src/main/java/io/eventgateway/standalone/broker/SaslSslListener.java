package io.eventgateway.standalone.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A SASL_SSL listener (SCRAM-SHA-256 over TLS) of a single-node broker, beside its
 * PLAINTEXT one: the broker's certificate and key come from a PKCS12 key store, and its
 * SCRAM users are created when the storage is formatted.
 *
 * @param port the listener's port on loopback
 * @param keyStore the broker's PKCS12 key store (certificate for 127.0.0.1 and its key)
 * @param keyStorePassword the key store's password
 * @param users SCRAM user names and their passwords (letters and digits only)
 */
public record SaslSslListener(int port, Path keyStore, String keyStorePassword, Map<String, String> users) {

	/** The SASL mechanism the listener accepts. */
	public static final String MECHANISM = "SCRAM-SHA-256";

	private static final String NAME = "SECURED";

	public SaslSslListener {
		users = Map.copyOf(users);
	}

	/** The listener's bootstrap address. */
	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	List<String> serverProperties(KafkaBrokerProcess.Node node) {
		String prefix = "listener.name." + NAME.toLowerCase(Locale.ROOT) + ".";
		return List.of(
				"listeners=PLAINTEXT://" + node.address() + ",CONTROLLER://" + node.controller() + "," + NAME + "://"
						+ node.host() + ":" + this.port,
				"advertised.listeners=PLAINTEXT://" + node.address() + "," + NAME + "://" + node.host() + ":"
						+ this.port,
				"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + NAME + ":SASL_SSL",
				prefix + "sasl.enabled.mechanisms=" + MECHANISM,
				prefix + MECHANISM.toLowerCase(Locale.ROOT)
						+ ".sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
				prefix + "ssl.keystore.type=PKCS12", prefix + "ssl.keystore.location=" + this.keyStore,
				prefix + "ssl.keystore.password=" + this.keyStorePassword);
	}

}
