package io.eventgateway.orchestrator.delay;

/** Where a record of a delay topic went once its hold ended. */
public enum DelayOutcome {

	/** Due: written to the topic its {@code gateway-delayed-to} header names. */
	DUE("due"),

	/** Not due yet: written to the delay tier of its remaining time. */
	NEXT_TIER("next-tier"),

	/** Not a usable delay record: written to the dead-letter topic with the problem. */
	DEAD_LETTER("dead-letter");

	private final String tag;

	DelayOutcome(String tag) {
		this.tag = tag;
	}

	/** The {@code outcome} tag of the meters. */
	public String tag() {
		return this.tag;
	}

}
