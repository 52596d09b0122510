package io.eventgateway.common.kafka.security;

/**
 * The Kafka clusters a gateway role may talk to, each with where its address and its
 * security settings live.
 */
public enum KafkaCluster {

	/** Where events are buffered: every role, built from {@code spring.kafka.*}. */
	PRIMARY("primary", "spring.kafka.bootstrap-servers", "gateway.kafka.security"),

	/** The publisher's gradual move to another cluster. */
	ROLLOUT("rollout", "gateway.publisher.rollout.bootstrap-servers", "gateway.publisher.rollout.security"),

	/** Where the publisher parks writes the primary refused. */
	FALLBACK("fallback", "gateway.publisher.fallback-cluster.bootstrap-servers",
			"gateway.publisher.fallback-cluster.security"),

	/**
	 * The cluster ingest reads flow-control signals from, which the orchestrator writes.
	 */
	FLOW_CONTROL("flow-control", "gateway.orchestrator.flow-control.bootstrap-servers",
			"gateway.orchestrator.flow-control.security");

	private final String displayName;

	private final String bootstrapKey;

	private final String securityPrefix;

	KafkaCluster(String displayName, String bootstrapKey, String securityPrefix) {
		this.displayName = displayName;
		this.bootstrapKey = bootstrapKey;
		this.securityPrefix = securityPrefix;
	}

	/** How logs and errors name the cluster. */
	public String displayName() {
		return this.displayName;
	}

	/** The setting holding the cluster's bootstrap servers. */
	public String bootstrapKey() {
		return this.bootstrapKey;
	}

	/** Where the cluster's {@link KafkaSecurity} settings live. */
	public String securityPrefix() {
		return this.securityPrefix;
	}

}
