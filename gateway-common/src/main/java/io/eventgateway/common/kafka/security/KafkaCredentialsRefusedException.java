package io.eventgateway.common.kafka.security;

/**
 * A Kafka cluster refused the credentials or the TLS handshake of a role at start; the
 * message is one line naming the setting to fix.
 */
public class KafkaCredentialsRefusedException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String setting;

	/**
	 * @param message one line naming the cluster, the setting and Kafka's reason
	 * @param setting the setting to fix
	 */
	public KafkaCredentialsRefusedException(String message, String setting) {
		super(message);
		this.setting = setting;
	}

	/** The setting to fix. */
	public String setting() {
		return this.setting;
	}

}
