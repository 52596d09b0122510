package io.eventgateway.bench.series;

/** What a measured process is, for adding up CPU time by kind. */
public enum ProcessRole {

	/** A JVM running gateway roles (and, in this JVM, the benchmark's harness). */
	GATEWAY("gateway"),

	/** A Kafka broker. */
	BROKER("broker"),

	/** A plain Kafka consumer, the raw Kafka baseline's reading side. */
	CONSUMER("consumer"),

	/** The load generator, stated separately: a client's cost, not the pipeline's. */
	LOAD_GENERATOR("load generator"),

	/**
	 * The JIT compiler threads of the gateway's JVM(s) and the broker: part of their CPU
	 * time already, stated apart to tell warm-up from per-event cost.
	 */
	JIT_COMPILERS("JIT compilers");

	private final String label;

	ProcessRole(String label) {
		this.label = label;
	}

	/** How results name it. */
	public String label() {
		return this.label;
	}

}
