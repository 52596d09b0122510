package io.eventgateway.common.kafka.security;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Before any Kafka client of a role starts, asks each secured cluster the role uses to
 * describe itself once: refused credentials or a refused TLS handshake stop the role with
 * one line naming the setting to fix, instead of every client retrying and logging the
 * same failure. A cluster that does not answer in time does not stop the role (it may
 * come later; health reports it).
 */
public final class KafkaStartupCheck {

	private static final Log logger = LogFactory.getLog(KafkaStartupCheck.class);

	private final KafkaClusterSecurity security;

	private final Function<KafkaCluster, Map<String, Object>> adminProperties;

	private final Duration timeout;

	/**
	 * @param security the settings of every cluster
	 * @param adminProperties an admin client's properties for a cluster, its bootstrap
	 * servers and security included
	 * @param timeout how long one cluster may take to answer
	 */
	public KafkaStartupCheck(KafkaClusterSecurity security, Function<KafkaCluster, Map<String, Object>> adminProperties,
			Duration timeout) {
		this.security = security;
		this.adminProperties = adminProperties;
		this.timeout = timeout;
	}

	/**
	 * Logs which clusters inherit the primary's settings and checks every secured cluster
	 * in use.
	 * @throws KafkaCredentialsRefusedException when a cluster refuses the credentials
	 */
	public void run() {
		this.security.inheritanceNotes().forEach(logger::info);
		for (KafkaCluster cluster : this.security.clustersInUse()) {
			KafkaSecurity settings = this.security.effective(cluster);
			if (settings.isDeclared() && settings.protocol() != KafkaSecurity.Protocol.PLAINTEXT) {
				check(cluster, settings);
			}
		}
	}

	private void check(KafkaCluster cluster, KafkaSecurity settings) {
		Map<String, Object> properties = new HashMap<>(this.adminProperties.apply(cluster));
		int millis = (int) this.timeout.toMillis();
		properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
		properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
		try (Admin admin = Admin.create(properties)) {
			admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
				.clusterId()
				.get(millis + 1000L, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof AuthenticationException refused) {
				throw refusal(cluster, settings, refused);
			}
			logger.warn("Could not check the " + cluster.displayName() + " Kafka cluster's credentials at start: "
					+ ex.getCause());
		}
		catch (TimeoutException ex) {
			logger.warn("Could not check the " + cluster.displayName() + " Kafka cluster's credentials at start: no"
					+ " answer within " + this.timeout);
		}
		catch (KafkaException ex) {
			logger.warn("Could not check the " + cluster.displayName() + " Kafka cluster's credentials at start: "
					+ ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private KafkaCredentialsRefusedException refusal(KafkaCluster cluster, KafkaSecurity settings,
			AuthenticationException refused) {
		String prefix = this.security.effectivePrefix(cluster);
		String setting;
		if (refused instanceof SslAuthenticationException) {
			setting = (settings.ssl().keyStoreLocation() != null)
					? prefix + ".ssl.trust-store-location or " + prefix + ".ssl.key-store-location"
					: prefix + ".ssl.trust-store-location";
		}
		else if (settings.sasl().mechanism() == KafkaSecurity.Mechanism.OAUTHBEARER) {
			setting = prefix + ".sasl.oauthbearer.client-secret";
		}
		else {
			setting = prefix + ".sasl.password";
		}
		String inherited = this.security.inheritsPrimary(cluster) ? " (inherited from the primary cluster)" : "";
		String reason = String.valueOf(refused.getMessage()).replaceAll("\\s+", " ").trim();
		return new KafkaCredentialsRefusedException("The " + cluster.displayName() + " Kafka cluster ("
				+ this.security.bootstrapServers(cluster) + ") refused this role: check " + setting + inherited
				+ ((settings.sasl().username() != null) ? " (user " + settings.sasl().username() + ")" : "")
				+ "; Kafka says: " + reason, setting);
	}

}
