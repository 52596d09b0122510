package io.eventgateway.common.kafka.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.eventgateway.common.environment.Stage;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * The security settings of every Kafka cluster of a role, and what follows from them: a
 * cluster without settings of its own uses the primary cluster's; a prod instance refuses
 * any cluster its clients would reach unencrypted.
 *
 * <p>
 * The primary cluster's settings reach every client built from {@code spring.kafka.*}
 * (see {@link KafkaSecurityEnvironmentPostProcessor}); the clients of the other clusters,
 * which start from the same properties, are given their cluster's own through
 * {@link #forCluster}.
 */
public final class KafkaClusterSecurity {

	/** The system property listing the token endpoints Kafka 4 clients may call. */
	static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

	private final Map<KafkaCluster, KafkaSecurity> declared;

	private final Map<KafkaCluster, String> bootstrapServers;

	private final String fallbackProtocol;

	/**
	 * @param declared each cluster's own settings (declared or not)
	 * @param bootstrapServers each cluster's configured bootstrap servers; absent for a
	 * cluster this role does not use
	 * @param springProtocol the primary's {@code security.protocol} from
	 * {@code spring.kafka.*}, or {@code null}
	 */
	public KafkaClusterSecurity(Map<KafkaCluster, KafkaSecurity> declared, Map<KafkaCluster, String> bootstrapServers,
			String springProtocol) {
		this.declared = Collections.unmodifiableMap(new EnumMap<>(declared));
		this.bootstrapServers = Collections.unmodifiableMap(new EnumMap<>(bootstrapServers));
		this.fallbackProtocol = springProtocol;
	}

	/** Reads the settings of every cluster from a role's environment. */
	public static KafkaClusterSecurity bind(Binder binder) {
		Map<KafkaCluster, KafkaSecurity> declared = new EnumMap<>(KafkaCluster.class);
		Map<KafkaCluster, String> bootstrap = new EnumMap<>(KafkaCluster.class);
		for (KafkaCluster cluster : KafkaCluster.values()) {
			declared.put(cluster, binder.bindOrCreate(cluster.securityPrefix(), Bindable.of(KafkaSecurity.class)));
			String servers = binder.bind(cluster.bootstrapKey(), String[].class)
				.map((values) -> String.join(",", values))
				.orElse("");
			if (!servers.isBlank()) {
				bootstrap.put(cluster, servers);
			}
		}
		String springProtocol = binder.bind("spring.kafka.properties[security.protocol]", String.class)
			.orElseGet(() -> binder.bind("spring.kafka.security.protocol", String.class).orElse(null));
		return new KafkaClusterSecurity(declared, bootstrap, springProtocol);
	}

	/** The settings a cluster declares itself (possibly undeclared). */
	public KafkaSecurity declared(KafkaCluster cluster) {
		return this.declared.getOrDefault(cluster, new KafkaSecurity(null, null, null));
	}

	/**
	 * Whether the cluster takes its settings from the primary cluster (it declares none
	 * of its own).
	 */
	public boolean inheritsPrimary(KafkaCluster cluster) {
		return cluster != KafkaCluster.PRIMARY && !declared(cluster).isDeclared();
	}

	/**
	 * The settings in force for a cluster: its own, else the primary's.
	 */
	public KafkaSecurity effective(KafkaCluster cluster) {
		return inheritsPrimary(cluster) ? declared(KafkaCluster.PRIMARY) : declared(cluster);
	}

	/**
	 * Where a cluster's settings in force live: its own prefix, else the primary's.
	 */
	public String effectivePrefix(KafkaCluster cluster) {
		return inheritsPrimary(cluster) ? KafkaCluster.PRIMARY.securityPrefix() : cluster.securityPrefix();
	}

	/** The clusters this role uses: the primary, and every other with an address. */
	public Set<KafkaCluster> clustersInUse() {
		Set<KafkaCluster> clusters = new LinkedHashSet<>();
		clusters.add(KafkaCluster.PRIMARY);
		clusters.addAll(this.bootstrapServers.keySet());
		return clusters;
	}

	/** A cluster's bootstrap servers, or {@code null} when not configured. */
	public String bootstrapServers(KafkaCluster cluster) {
		return this.bootstrapServers.get(cluster);
	}

	/** Every incomplete or contradictory setting, each named. */
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		for (KafkaCluster cluster : KafkaCluster.values()) {
			problems.addAll(declared(cluster).problems(cluster.securityPrefix()));
		}
		return problems;
	}

	/**
	 * The broken rules of a stage: a prod instance reaches none of its clusters in clear
	 * text (PLAINTEXT or SASL_PLAINTEXT), credentials and events alike.
	 */
	public List<String> violations(Stage stage) {
		List<String> violations = new ArrayList<>();
		if (stage != Stage.PROD) {
			return violations;
		}
		for (KafkaCluster cluster : clustersInUse()) {
			if (inheritsPrimary(cluster)) {
				// The primary's own check covers it.
				continue;
			}
			String setting = cluster.securityPrefix() + ".protocol";
			String protocol;
			if (declared(cluster).isDeclared()) {
				protocol = declared(cluster).protocol().name();
			}
			else if (this.fallbackProtocol != null) {
				setting = "spring.kafka.security.protocol";
				protocol = this.fallbackProtocol.trim().toUpperCase(Locale.ROOT);
			}
			else {
				protocol = KafkaSecurity.Protocol.PLAINTEXT.name() + " (not set)";
			}
			if (!protocol.startsWith("SSL") && !protocol.startsWith("SASL_SSL")) {
				violations.add(setting + " is " + protocol + ", which a prod instance must not use for the "
						+ cluster.displayName() + " Kafka cluster: events and credentials would travel unencrypted"
						+ " (SSL or SASL_SSL)");
			}
		}
		return violations;
	}

	/**
	 * One line per cluster in use that takes the primary's settings, for the role to log
	 * once at start.
	 */
	public List<String> inheritanceNotes() {
		List<String> notes = new ArrayList<>();
		for (KafkaCluster cluster : clustersInUse()) {
			if (inheritsPrimary(cluster)) {
				notes.add("The " + cluster.displayName() + " Kafka cluster has no " + cluster.securityPrefix()
						+ ".*; its clients use the primary cluster's (" + KafkaCluster.PRIMARY.securityPrefix()
						+ ".*, else spring.kafka.*)");
			}
		}
		return notes;
	}

	/**
	 * A client's properties for a cluster: those given (built from
	 * {@code spring.kafka.*}, so with the primary's security) with the cluster's own
	 * security in place of the primary's, when it has its own.
	 * @param cluster the cluster the client connects to
	 * @param properties the client's properties, with the primary's security
	 * @return a new map
	 */
	public Map<String, Object> forCluster(KafkaCluster cluster, Map<String, Object> properties) {
		Map<String, Object> result = new HashMap<>(properties);
		if (inheritsPrimary(cluster) || cluster == KafkaCluster.PRIMARY) {
			return result;
		}
		result.keySet().removeIf(KafkaSecurity::isSecurityProperty);
		result.putAll(declared(cluster).clientProperties());
		return result;
	}

	/**
	 * Adds the token endpoints of every OAUTHBEARER cluster to the system property Kafka
	 * 4 checks before calling one (it calls none that the property does not list),
	 * keeping what is there.
	 */
	public void allowTokenEndpoints() {
		Set<String> allowed = new LinkedHashSet<>();
		String current = System.getProperty(ALLOWED_URLS_PROPERTY, "");
		for (String url : current.split(",")) {
			if (!url.isBlank()) {
				allowed.add(url.trim());
			}
		}
		int before = allowed.size();
		for (KafkaSecurity security : this.declared.values()) {
			if (security.isDeclared() && security.protocol().usesSasl()
					&& security.sasl().mechanism() == KafkaSecurity.Mechanism.OAUTHBEARER) {
				allowed.add(security.sasl().oauthbearer().tokenEndpointUrl());
			}
		}
		if (allowed.size() != before) {
			System.setProperty(ALLOWED_URLS_PROPERTY, String.join(",", allowed));
		}
	}

	@Override
	public String toString() {
		return "KafkaClusterSecurity" + this.declared;
	}

}
